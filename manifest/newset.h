/* newset.h: the guest paths a run created itself, for `only: new` rules (docs/manifest.md). */
#ifndef WT_NEWSET_H
#define WT_NEWSET_H

#include <stddef.h>

#include "gate.h"

/* What the run knows of a path:
 *   NO    nothing made by this run (an entry that was there before, one moved in from
 *         outside the run's own entries, a name past the cap);
 *   YES   an entry the run created (a file, a folder, a hard link to its own file), or a
 *         path below a folder the run created (everything in it is the run's own);
 *   LINK  a symbolic link the run created, named without following it: the link itself is
 *         the run's; what it leads to is what its text names.
 * Paths are guest paths as the module names them. A symlink the run made is followed as
 * the host follows it (its text, relative to its folder), so a path through it is what it
 * leads to: "/p/l/Makefile" through l -> "." is /p/Makefile. A symlink that was there
 * before the run is not known: names through it are tracked as they are spelled. */
typedef enum {
	WT_NEW_NO,
	WT_NEW_YES,
	WT_NEW_LINK,
} wt_newness;

/* The set, kept as a trie of path components (one hash table keyed by parent and name),
 * so a lookup or an update costs O(path length) and a rename of a folder moves everything
 * below it at once. Only marked paths and their folders are kept. It holds at most
 * WT_NEWSET_MAX_NODES components and WT_NEWSET_MAX_BYTES bytes of names: past that a new
 * entry is not recorded (it counts as NO). When an entry that must stop counting as new
 * cannot be recorded, the set gives up: nothing counts as new for the rest of the run. */
enum { WT_NEWSET_MAX_NODES = 1 << 16, WT_NEWSET_MAX_BYTES = 8 << 20 };

typedef struct wt_newset wt_newset;

/* max_nodes, max_bytes: 0 = the defaults above (tests pass small caps). NULL when out
 * of memory. */
wt_newset *wt_newset_new(size_t max_nodes, size_t max_bytes);
void wt_newset_free(wt_newset *s);

/* What the run made of the canonical guest path path[0..len); follow: a final symlink the
 * run made counts as what it leads to (else as LINK). A path that needs more than 8 such
 * links, or one with an absolute text, is NO. */
wt_newness wt_newset_get(const wt_newset *s, const char *path, size_t len, int follow);

/* Learns from one call after it ran (ev.errno_result 0 and the policy allowed it; any
 * other event is ignored): path_open that created its file (ev.created, or O_CREAT|O_EXCL),
 * path_create_directory and path_symlink (with its text) add their path; path_link adds the new
 * name as what the old one was; path_rename moves the old name's entry and everything below it to
 * the new name (which stops being what it was); path_unlink_file and path_remove_directory forget
 * the path and everything below it. A call that moved or removed what the set cannot name
 * (too many links on the way) makes it give up. */
void wt_newset_observe(wt_newset *s, const wt_event *ev);

/* Components held now (tests), and 1 when the set gave up. */
size_t wt_newset_count(const wt_newset *s);
int wt_newset_gave_up(const wt_newset *s);

#endif
