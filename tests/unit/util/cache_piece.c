/* cache_piece.c: a tiny shared object for test_cache: a real piece to put in the code cache,
 * get back as a memfd and load through /proc/self/fd/N. */
int wt_test_piece_answer(void);

int wt_test_piece_answer(void)
{
	return 42;
}
