/* Random numbers for the sampler.
 *
 * Uniform bits: xoshiro256++ 1.0 (D. Blackman, S. Vigna, "Scrambled linear
 * pseudorandom number generators", ACM Trans. Math. Softw. 47 (2021); reference
 * code at prng.di.unimi.it).  Each block of models gets its own stream, seeded
 * with splitmix64 (G. Steele, D. Lea, C. Flood, "Fast splittable pseudorandom
 * number generators", OOPSLA 2014) from a hash of (seed, block), so the blocks
 * can be drawn in any order by any thread.
 *
 * Normals: the ziggurat of G. Marsaglia and W. W. Tsang (J. Stat. Softw. 5(8),
 * 2000) with 256 layers and, following J. A. Doornik ("An improved ziggurat
 * method to generate normal random samples", 2005), independent bits for the
 * layer (8), the sign (1) and the abscissa (52) of one 64-bit draw, so the
 * layer index is not correlated with the value.  Tail: Marsaglia's method. */

#include <math.h>
#include <pthread.h>
#include "neft/sample.h"

static inline uint64_t
rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t
splitmix64(uint64_t * x)
{
    uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

void
neft_sample_rng_seed(neft_sample_rng_t rng, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed, h;
    int i;

    /* Mix the seed first, then the stream, so (seed, stream) and
       (seed', stream') collide only if both hashes do. */
    h = splitmix64(&x);
    x = h ^ (stream * UINT64_C(0xd1342543de82ef95) + UINT64_C(0x632be59bd9b4e019));
    (void) splitmix64(&x);
    for (i = 0; i < 4; i++)
        rng->s[i] = splitmix64(&x);
    if ((rng->s[0] | rng->s[1] | rng->s[2] | rng->s[3]) == 0)
        rng->s[0] = 1;   /* the one forbidden state; unreachable in practice */
}

uint64_t
neft_sample_rng_next(neft_sample_rng_t rng)
{
    uint64_t * s = rng->s;
    uint64_t result = rotl(s[0] + s[3], 23) + s[0];
    uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double
neft_sample_rng_uniform(neft_sample_rng_t rng)
{
    return (neft_sample_rng_next(rng) >> 11) * 0x1.0p-53;
}

/* ------------------------------------------------------------------ ziggurat */

#define ZIG_R 3.6541528853610088          /* right edge of the base layer */
#define ZIG_V 4.92867323399e-3            /* area of each layer */
#define ZIG_M 4503599627370496.0          /* 2^52 */

static uint64_t zig_k[256];
static double zig_w[256], zig_f[256];
static pthread_once_t zig_once = PTHREAD_ONCE_INIT;

/* Marsaglia-Tsang's zigset for 256 layers: x_255 = R is the widest edge, layer 0
   the base strip with the tail, zig_k[i] = x_{i-1}/x_i scaled to 52 bits (the
   part of layer i that lies under the curve for sure). */
static void
zig_setup(void)
{
    double dn = ZIG_R, tn = dn, q;
    int i;

    q = ZIG_V / exp(-0.5 * dn * dn);
    zig_k[0] = (uint64_t) ((dn / q) * ZIG_M);
    zig_k[1] = 0;
    zig_w[0] = q / ZIG_M;
    zig_w[255] = dn / ZIG_M;
    zig_f[0] = 1.0;
    zig_f[255] = exp(-0.5 * dn * dn);
    for (i = 254; i >= 1; i--)
    {
        dn = sqrt(-2.0 * log(ZIG_V / dn + exp(-0.5 * dn * dn)));
        zig_k[i + 1] = (uint64_t) ((dn / tn) * ZIG_M);
        tn = dn;
        zig_f[i] = exp(-0.5 * dn * dn);
        zig_w[i] = dn / ZIG_M;
    }
}

static double
zig_slow(neft_sample_rng_t rng, int i, int sign, double x)
{
    for (;;)
    {
        if (i == 0)
        {
            double xx, yy;
            do
            {
                xx = -log1p(-neft_sample_rng_uniform(rng)) / ZIG_R;
                yy = -log1p(-neft_sample_rng_uniform(rng));
            }
            while (yy + yy < xx * xx);
            return sign ? -(ZIG_R + xx) : ZIG_R + xx;
        }
        if (zig_f[i] + neft_sample_rng_uniform(rng) * (zig_f[i - 1] - zig_f[i])
                < exp(-0.5 * x * x))
            return sign ? -x : x;
        {
            uint64_t u = neft_sample_rng_next(rng), r;
            i = (int) (u & 0xff);
            sign = (int) ((u >> 8) & 1);
            r = u >> 12;
            x = (double) r * zig_w[i];
            if (r < zig_k[i])
                return sign ? -x : x;
        }
    }
}

static inline double
zig_normal(neft_sample_rng_t rng)
{
    uint64_t u = neft_sample_rng_next(rng), r = u >> 12;
    int i = (int) (u & 0xff), sign = (int) ((u >> 8) & 1);
    double x = (double) r * zig_w[i];

    if (r < zig_k[i])
        return sign ? -x : x;
    return zig_slow(rng, i, sign, x);
}

double
neft_sample_rng_normal(neft_sample_rng_t rng)
{
    pthread_once(&zig_once, zig_setup);
    return zig_normal(rng);
}

void
neft_sample_rng_normals(double * x, slong n, neft_sample_rng_t rng)
{
    slong i;
    pthread_once(&zig_once, zig_setup);
    for (i = 0; i < n; i++)
        x[i] = zig_normal(rng);
}
