/* libFuzzer target: the rules parser (neft_theory_read_string) on arbitrary
   text.  Any outcome but a crash, leak or sanitizer report is fine; on
   success the theory must be usable (copied and cleared), on failure the
   message must be one line. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "neft/theory.h"

int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t * data, size_t size)
{
    char * text = malloc(size + 1), err[256];
    neft_theory_t th, copy;

    memcpy(text, data, size);
    text[size] = '\0';
    neft_theory_init(th);
    if (neft_theory_read_string(th, text, "fuzz", err, sizeof(err)) == 0)
    {
        neft_theory_init(copy);
        neft_theory_set(copy, th);
        neft_theory_clear(copy);
    }
    else if (strchr(err, '\n') != NULL)
        abort();   /* the contract: one line */
    neft_theory_clear(th);
    free(text);
    return 0;
}
