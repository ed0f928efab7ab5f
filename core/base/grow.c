/* grow.c: the checked grow-array (grow.h). */
#include "grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

size_t wt_grow_cap(size_t cap, size_t need, size_t elem, size_t first, size_t max)
{
	size_t ncap;

	if (elem == 0 || max > SIZE_MAX / elem)
		max = elem ? SIZE_MAX / elem : SIZE_MAX;
	if (need > max || cap > max)
		return 0;
	ncap = cap == 0 ? (first ? first : 1) : cap > max / 2 ? max : 2 * cap;
	if (ncap < need)
		ncap = need;
	return ncap > max ? max : ncap;
}

void *wt_grow_realloc(void *arr, size_t n, size_t elem)
{
	if (n == 0 || elem == 0 || n > SIZE_MAX / elem)
		return NULL;
	return realloc(arr, n * elem);
}

int wt_grow(void *arrp, size_t *cap, size_t need, size_t elem, size_t first)
{
	void *arr, *grown;
	size_t ncap;

	WT_API_CHECK(arrp != NULL && cap != NULL);
	if (need <= *cap)
		return 0;
	if (!(ncap = wt_grow_cap(*cap, need, elem, first, SIZE_MAX)))
		return -1;
	memcpy(&arr, arrp, sizeof arr);
	if (!(grown = wt_grow_realloc(arr, ncap, elem)))
		return -1;
	memcpy(arrp, &grown, sizeof grown);
	*cap = ncap;
	return 0;
}
