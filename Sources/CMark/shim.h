// cmark-gfm, GitHub's CommonMark implementation, and its extensions (tables, strikethrough,
// autolinks, task lists, tag filter), from Debian's libcmark-gfm-dev and
// libcmark-gfm-extensions-dev.
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
