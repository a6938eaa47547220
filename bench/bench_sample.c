/* Benchmark of the sampler (issue 4): ReLU, d_in = 1, N = 20, 6 inputs, 2-, 4-
   and 6-point functions.  Prints nets/second of
     gauss   drawing the Gaussians alone (N (d_in + 2) + 1 normals per net, the
             same generator, one thread) -- the floor;
     neft-1  neft_sample_run with one thread;
     neft-T  neft_sample_run with all cores;
   and the ratio neft-1 / gauss.  bench/sample_baselines.py runs this and the
   torch baselines in one go.  Usage: bench-sample [MODELS...] */

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "neft/sample.h"

static double
wall(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

int
main(int argc, char ** argv)
{
    static const double xs[6] = {0.2, 0.4, 0.6, 0.8, 1.0, 1.2};
    const slong N = 20, per_net = N * 3 + 1;
    uint64_t sizes[8] = {100000, 1000000};
    int nsizes = 2, i;

    if (argc > 1)
    {
        nsizes = 0;
        for (i = 1; i < argc && nsizes < 8; i++)
            sizes[nsizes++] = strtoull(argv[i], NULL, 10);
    }
    for (i = 0; i < nsizes; i++)
    {
        uint64_t M = sizes[i], blk, nblocks = (M + NEFT_SAMPLE_BLOCK - 1) / NEFT_SAMPLE_BLOCK;
        double t0, t_gauss, t_one, t_all, sink = 0;
        double * buf = malloc(sizeof(double) * (size_t) (per_net * NEFT_SAMPLE_BLOCK));
        neft_sample_spec_t spec;
        neft_sample_opt_t opt;
        neft_sample_result_t res;
        char err[256];

        /* the floor: the same normals, nothing else */
        t0 = wall();
        for (blk = 0; blk < nblocks; blk++)
        {
            neft_sample_rng_t rng;
            uint64_t m = (blk + 1) * NEFT_SAMPLE_BLOCK <= M ? NEFT_SAMPLE_BLOCK
                         : M - blk * NEFT_SAMPLE_BLOCK;
            neft_sample_rng_seed(rng, 1, blk);
            neft_sample_rng_normals(buf, (slong) m * per_net, rng);
            sink += buf[0];
        }
        t_gauss = wall() - t0;
        free(buf);

        neft_sample_spec_init(spec);
        spec->net->act = neft_act_lookup("relu");   /* d_in 1, C_W 1, C_b 0 */
        neft_net_set_width_si(spec->net, 1, N);
        spec->models = M;
        spec->seed = 1;
        neft_sample_spec_set_points(spec, xs, 6);
        neft_sample_opt_init(opt);
        neft_sample_result_init(res);

        opt->threads = 1;
        t0 = wall();
        if (neft_sample_run(res, spec, opt, err, sizeof(err)))
            return fprintf(stderr, "%s\n", err), 1;
        t_one = wall() - t0;
        sink += res->corr[0].full.mean;

        opt->threads = 0;
        t0 = wall();
        if (neft_sample_run(res, spec, opt, err, sizeof(err)))
            return fprintf(stderr, "%s\n", err), 1;
        t_all = wall() - t0;

        printf("models %llu gauss %.4g neft-1 %.4g neft-T %.4g  (nets/s; neft-1 takes %.2fx "
               "the time of drawing the Gaussians; %ld tuples; sink %g)\n",
               (unsigned long long) M, M / t_gauss, M / t_one, M / t_all, t_one / t_gauss,
               (long) res->length, sink);
        fflush(stdout);
        neft_sample_result_clear(res);
        neft_sample_spec_clear(spec);
    }
    return 0;
}
