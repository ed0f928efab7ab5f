/* mandel.c: floating point: escape-time iterations over a grid of the Mandelbrot set. */
#include "bench.h"

/* Iterations until |z| > 2, at most limit, for c = (cr, ci). */
static uint32_t escape(double cr, double ci, uint32_t limit)
{
	double zr = 0, zi = 0, zr2 = 0, zi2 = 0;
	uint32_t it = 0;
	while (it < limit && zr2 + zi2 <= 4.0) {
		zi = 2.0 * zr * zi + ci;
		zr = zr2 - zi2 + cr;
		zr2 = zr * zr;
		zi2 = zi * zi;
		it++;
	}
	return it;
}

int main(int argc, char **argv)
{
	uint32_t size = (uint32_t)bench_arg(argc, argv, 1, 600);
	uint64_t sum = 0;
	for (uint32_t y = 0; y < size; y++) {
		double ci = -1.25 + 2.5 * y / size;
		for (uint32_t x = 0; x < size; x++) {
			double cr = -2.1 + 2.8 * x / size;
			sum = sum * 31 + escape(cr, ci, 200);
		}
	}
	bench_checksum("mandel", sum);
	return 0;
}
