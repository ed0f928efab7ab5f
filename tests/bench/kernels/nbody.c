/* nbody.c: floating point with division and square roots: a gravitational N-body simulation
 * (leapfrog steps over pairs of bodies), energy folded into the checksum. */
#include <math.h>
#include <string.h>
#include "bench.h"

enum { BODIES = 8 };

struct body {
	double x, y, z, vx, vy, vz, mass;
};

/* Places the bodies on a loose ring with small random velocities; the total momentum is zero.
 * The ring uses a rational parametrisation instead of sin/cos, whose last bit may differ between
 * glibc and wasi-libc; + - * / and sqrt are exact in IEEE 754 everywhere. */
static void setup(struct body *b, uint64_t *rng)
{
	double px = 0, py = 0, pz = 0;
	for (int i = 0; i < BODIES; i++) {
		double r = 1.0 + i * 0.75, t = i * 0.35 - 1.2, q = 1 + t * t;
		double c = (1 - t * t) / q, s = 2 * t / q;
		b[i].x = r * c;
		b[i].y = r * s;
		b[i].z = (double)(bench_rand(rng) % 1000) / 5000.0 - 0.1;
		b[i].vx = -s / sqrt(r) + (double)(bench_rand(rng) % 100) / 10000.0;
		b[i].vy = c / sqrt(r);
		b[i].vz = 0;
		b[i].mass = i == 0 ? 10.0 : 0.01 + (double)(bench_rand(rng) % 100) / 2000.0;
		px += b[i].vx * b[i].mass;
		py += b[i].vy * b[i].mass;
		pz += b[i].vz * b[i].mass;
	}
	b[0].vx -= px / b[0].mass;
	b[0].vy -= py / b[0].mass;
	b[0].vz -= pz / b[0].mass;
}

static void step(struct body *b, double dt)
{
	for (int i = 0; i < BODIES; i++)
		for (int j = i + 1; j < BODIES; j++) {
			double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
			double d2 = dx * dx + dy * dy + dz * dz + 1e-9;
			double mag = dt / (d2 * sqrt(d2));
			b[i].vx -= dx * b[j].mass * mag;
			b[i].vy -= dy * b[j].mass * mag;
			b[i].vz -= dz * b[j].mass * mag;
			b[j].vx += dx * b[i].mass * mag;
			b[j].vy += dy * b[i].mass * mag;
			b[j].vz += dz * b[i].mass * mag;
		}
	for (int i = 0; i < BODIES; i++) {
		b[i].x += dt * b[i].vx;
		b[i].y += dt * b[i].vy;
		b[i].z += dt * b[i].vz;
	}
}

static double energy(const struct body *b)
{
	double e = 0;
	for (int i = 0; i < BODIES; i++) {
		e += 0.5 * b[i].mass * (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
		for (int j = i + 1; j < BODIES; j++) {
			double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
			e -= b[i].mass * b[j].mass / sqrt(dx * dx + dy * dy + dz * dz);
		}
	}
	return e;
}

int main(int argc, char **argv)
{
	long steps = bench_arg(argc, argv, 1, 1000000);
	struct body b[BODIES];
	uint64_t rng = 2024, sum = 0;
	setup(b, &rng);
	for (long s = 0; s < steps; s++)
		step(b, 0.001);
	double e = energy(b);
	memcpy(&sum, &e, sizeof sum);
	bench_checksum("nbody", sum);
	return 0;
}
