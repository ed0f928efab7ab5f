/* devreq.c: deviation requests, their keys, a hash set of them (open addressing), and the tally
 * of the calls behind one listed request. */
#include <stdlib.h>
#include <string.h>

#include "devreq.h"
#include "check.h"
#include "escape.h"
#include "grow.h"
#include "wasi.h"

static const unsigned char call_class[WT_WASI_CALL_COUNT] = {
#define WT_X_CLASS(name, sig, cls) [WT_WASI_##name] = WT_CLASS_##cls,
    WT_WASI_CALL_LIST(WT_X_CLASS)
#undef WT_X_CLASS
};

void wt_devreq_from_event(const wt_event *ev, wt_devreq *req)
{
	memset(req, 0, sizeof *req);
	req->call = ev->call;
	req->path = ev->path ? ev->path : ev->fd_path;
	if (req->path)
		req->path_len = ev->path ? ev->path_len : strlen(ev->fd_path);
	req->path2 = ev->path2;
	req->path2_len = ev->path2 ? ev->path2_len : 0;
	req->host_path = ev->host_path;
	req->rights = ev->rights;
}

/* Appends a tagged, length-prefixed field: tag, 8 length bytes, the bytes. */
static char *field(char *p, char tag, const char *s, size_t n)
{
	*p++ = tag;
	for (int i = 0; i < 8; i++)
		*p++ = (char)((uint64_t)n >> (8 * i));
	if (n)
		memcpy(p, s, n);
	return p + n;
}

int wt_devreq_key(const wt_devreq *req, char **key, size_t *len)
{
	size_t wlen = req->what ? strlen(req->what) : 0;
	size_t plen = req->path ? req->path_len : 0, p2len = req->path2 ? req->path2_len : 0;
	/* a file request is its paths and rights, whichever call asks; others their call's class */
	unsigned cls = req->path				  ? 0xfe
		       : (unsigned)req->call < WT_WASI_CALL_COUNT ? call_class[req->call]
								  : 0xff;
	char head[5] = {(char)cls, (char)req->rights, (char)(req->rights >> 8),
			(char)(req->rights >> 16), (char)(req->rights >> 24)};
	char *k, *p;

	*key = NULL;
	if (plen > SIZE_MAX / 4 || p2len > SIZE_MAX / 4 || wlen > SIZE_MAX / 4)
		return -1;
	if (!(k = malloc(sizeof head + 3 * 9 + plen + p2len + wlen)))
		return -1;
	memcpy(k, head, sizeof head);
	p = field(k + sizeof head, req->path ? 'p' : '-', req->path, plen);
	p = field(p, req->path2 ? 'q' : '-', req->path2, p2len);
	p = field(p, req->what ? 'w' : '-', req->what, wlen);
	*key = k;
	*len = (size_t)(p - k);
	return 0;
}

typedef struct slot {
	char *key; /* NULL: empty */
	size_t len;
	uint64_t hash;
	int value;
} slot;

struct wt_devset {
	slot *slots;
	size_t cap, count; /* cap: a power of two, or 0 */
};

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3u;
	return h;
}

wt_devset *wt_devset_new(void)
{
	return calloc(1, sizeof(wt_devset));
}

void wt_devset_free(wt_devset *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->cap; i++)
		free(s->slots[i].key);
	free(s->slots);
	free(s);
}

/* The slot holding key, or the empty slot where it would go; NULL when cap is 0. */
static slot *find(const wt_devset *s, const char *key, size_t len, uint64_t h)
{
	if (!s->cap)
		return NULL;
	WT_ASSERT((s->cap & (s->cap - 1)) == 0); /* a power of two */
	for (size_t i = h & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
		slot *sl = &s->slots[i];
		if (!sl->key || (sl->hash == h && sl->len == len && !memcmp(sl->key, key, len)))
			return sl;
	}
}

static int grow(wt_devset *s)
{
	size_t oldcap = s->cap, cap = wt_grow_cap(oldcap, oldcap + 1, sizeof(slot), 16, SIZE_MAX);
	slot *old = s->slots, *fresh = cap ? calloc(cap, sizeof *fresh) : NULL;

	if (!fresh)
		return -1;
	s->slots = fresh;
	s->cap = cap;
	for (size_t i = 0; i < oldcap; i++) {
		if (old[i].key)
			*find(s, old[i].key, old[i].len, old[i].hash) = old[i];
	}
	free(old);
	return 0;
}

int wt_devset_get(const wt_devset *s, const wt_devreq *req, int *value)
{
	char *key;
	size_t len;
	slot *sl;

	if (wt_devreq_key(req, &key, &len))
		return 0;
	sl = find(s, key, len, fnv1a(key, len));
	free(key);
	if (!sl || !sl->key)
		return 0;
	*value = sl->value;
	return 1;
}

int wt_devset_put(wt_devset *s, const wt_devreq *req, int value)
{
	char *key;
	size_t len;
	uint64_t h;
	slot *sl;

	if (wt_devreq_key(req, &key, &len))
		return -1;
	h = fnv1a(key, len);
	if ((sl = find(s, key, len, h)) && sl->key) {
		sl->value = value;
		free(key);
		return 0;
	}
	if (4 * (s->count + 1) > 3 * s->cap && grow(s)) {
		free(key);
		return -1;
	}
	sl = find(s, key, len, h);
	*sl = (slot){.key = key, .len = len, .hash = h, .value = value};
	s->count++;
	return 0;
}

size_t wt_devset_count(const wt_devset *s)
{
	return s->count;
}

void wt_devtally_add(wt_devtally *t, wt_wasi_call call, unsigned long n)
{
	for (unsigned i = 0; i < t->kinds; i++) {
		if (t->calls[i] == call) {
			t->counts[i] += n;
			return;
		}
	}
	if (t->kinds == WT_DEVTALLY_KINDS) {
		t->others += n;
		return;
	}
	t->calls[t->kinds] = call;
	t->counts[t->kinds++] = n;
}

void wt_devtally_print(const wt_devtally *t, FILE *f)
{
	unsigned long total = t->others;

	for (unsigned i = 0; i < t->kinds; i++)
		total += t->counts[i];
	if (total <= 1)
		return;
	if (t->kinds == 1 && !t->others) {
		fprintf(f, " (%lu times)", total);
		return;
	}
	fprintf(f, " (%lu calls:", total);
	for (unsigned i = 0; i < t->kinds; i++) {
		wt_escape_fprintf(f, "%s %s", i ? "," : "", wt_wasi_call_name(t->calls[i]));
		if (t->counts[i] > 1)
			fprintf(f, " x%lu", t->counts[i]);
	}
	if (t->others)
		fprintf(f, ", other calls x%lu", t->others);
	fputc(')', f);
}
