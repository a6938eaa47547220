/* libFuzzer target: the sampler's checkpoint reader.  The input is written to
   a checkpoint file and a tiny run (relu, width 2, two points, 512 models,
   one thread) resumes from it: a foreign or corrupt file must be refused with
   BAD_INPUT, anything else must resume and finish.  The seed corpus holds a
   checkpoint of exactly this run. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "neft/sample.h"

int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t * data, size_t size)
{
    static char path[64];
    static const double x[2] = {0.5, -1.0};
    neft_sample_spec_t spec;
    neft_sample_opt_t opt;
    neft_sample_result_t res;
    char err[1024];
    FILE * fp;
    int status;

    if (path[0] == '\0')
        snprintf(path, sizeof(path), "/tmp/neft-fuzz-checkpoint.%ld", (long) getpid());
    fp = fopen(path, "wb");
    if (fp == NULL || fwrite(data, 1, size, fp) != size || fclose(fp) != 0)
        abort();

    neft_sample_spec_init(spec);
    spec->net->act = neft_act_lookup("relu");   /* d_in 1, depth 2, C_W 1, C_b 0 */
    neft_net_set_width_si(spec->net, 1, 2);
    spec->npt_mask = (1u << 2) | (1u << 4);
    spec->models = 2 * NEFT_SAMPLE_BLOCK;
    spec->seed = 1;
    neft_sample_spec_set_points(spec, x, 2);
    if (neft_sample_spec_check(spec, err, sizeof(err)))
        abort();
    neft_sample_opt_init(opt);
    opt->threads = 1;
    opt->checkpoint = path;
    opt->checkpoint_interval = 1e9;
    neft_sample_result_init(res);
    status = neft_sample_run(res, spec, opt, err, sizeof(err));
    if (status != NEFT_SAMPLE_SUCCESS && status != NEFT_SAMPLE_BAD_INPUT)
        abort();
    if (status == NEFT_SAMPLE_SUCCESS && res->models != spec->models)
        abort();
    neft_sample_result_clear(res);
    neft_sample_spec_clear(spec);
    remove(path);
    return 0;
}
