/* One status vocabulary (neft/status.h): every module's status names are
   aliases of the common values, and the two rules that combine statuses. */

#include <string.h>
#include "neft/status.h"
#include "neft/act.h"
#include "neft/exact.h"
#include "neft/expand.h"
#include "neft/integrate.h"
#include "neft/sample.h"
#include "neft-test.h"

typedef struct
{
    const char * name;
    int alias, common;
}
alias_t;

#define ALIAS(a, c) { #a, a, c }

static const alias_t aliases[] = {
    ALIAS(NEFT_ACT_SUCCESS, NEFT_SUCCESS),
    ALIAS(NEFT_ACT_UNSUPPORTED, NEFT_UNSUPPORTED),
    ALIAS(NEFT_EXACT_SUCCESS, NEFT_SUCCESS),
    ALIAS(NEFT_EXACT_FAILURE, NEFT_FAILURE),
    ALIAS(NEFT_EXACT_BAD_INPUT, NEFT_BAD_INPUT),
    ALIAS(NEFT_EXACT_UNSUPPORTED, NEFT_UNSUPPORTED),
    ALIAS(NEFT_EXACT_INTERRUPTED, NEFT_INTERRUPTED),
    ALIAS(NEFT_EXPAND_SUCCESS, NEFT_SUCCESS),
    ALIAS(NEFT_EXPAND_INVALID, NEFT_BAD_INPUT),
    ALIAS(NEFT_EXPAND_BUDGET, NEFT_BAD_INPUT),
    ALIAS(NEFT_EXPAND_INTERRUPTED, NEFT_INTERRUPTED),
    ALIAS(NEFT_EXPAND_SINK, NEFT_FAILURE),
    ALIAS(NEFT_INTEGRATE_SUCCESS, NEFT_SUCCESS),
    ALIAS(NEFT_INTEGRATE_NO_CONVERGENCE, NEFT_NO_CONVERGENCE),
    ALIAS(NEFT_INTEGRATE_UNSUPPORTED, NEFT_UNSUPPORTED),
    ALIAS(NEFT_INTEGRATE_INTERRUPTED, NEFT_INTERRUPTED),
    ALIAS(NEFT_SAMPLE_SUCCESS, NEFT_SUCCESS),
    ALIAS(NEFT_SAMPLE_FAILURE, NEFT_FAILURE),
    ALIAS(NEFT_SAMPLE_BAD_INPUT, NEFT_BAD_INPUT),
    ALIAS(NEFT_SAMPLE_INTERRUPTED, NEFT_INTERRUPTED),
};

int
main(void)
{
    /* the order of neft_status_worst, least serious first */
    static const int order[] = { NEFT_SUCCESS, NEFT_NO_CONVERGENCE, NEFT_FAILURE,
                                 NEFT_BAD_INPUT, NEFT_UNSUPPORTED, NEFT_INTERRUPTED };
    size_t i, j;

    for (i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        CHECK(aliases[i].alias == aliases[i].common, "%s is %d, the common value is %d (%s)",
              aliases[i].name, aliases[i].alias, aliases[i].common,
              neft_status_name(aliases[i].common));

    /* the common values are distinct and named */
    for (i = 0; i < NEFT_STATUS_COUNT; i++)
        CHECK(strcmp(neft_status_name((int) i), "unknown status") != 0, "status %zu unnamed", i);
    CHECK(NEFT_SUCCESS == 0, "success is not 0");

    for (i = 0; i < sizeof order / sizeof order[0]; i++)
        for (j = 0; j < sizeof order / sizeof order[0]; j++)
        {
            int w = i >= j ? order[i] : order[j];
            CHECK(neft_status_worst(order[i], order[j]) == w, "worst(%s, %s) = %s, expected %s",
                  neft_status_name(order[i]), neft_status_name(order[j]),
                  neft_status_name(neft_status_worst(order[i], order[j])),
                  neft_status_name(w));
        }
    /* an unknown value ranks as a failure */
    CHECK(neft_status_worst(NEFT_NO_CONVERGENCE, 17) == 17
          && neft_status_worst(17, NEFT_BAD_INPUT) == NEFT_BAD_INPUT, "unknown status rank");

    for (i = 0; i < sizeof order / sizeof order[0]; i++)
        CHECK(neft_status_has_value(order[i])
              == (order[i] == NEFT_SUCCESS || order[i] == NEFT_NO_CONVERGENCE),
              "has_value(%s)", neft_status_name(order[i]));

    return neft_test_finish("t-status");
}
