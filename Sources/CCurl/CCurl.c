#include "CCurl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

// Debian's libcurl4 (OpenSSL); the soname the -dev package links against.
#define SEEDNB_LIBCURL "libcurl.so.4"

// The libcurl functions seednb calls, resolved once. Written only inside `load`, which
// pthread_once runs before any caller reads them.
static struct {
  CURLcode (*global_init)(long flags);
  CURL *(*easy_init)(void);
  void (*easy_cleanup)(CURL *handle);
  const char *(*easy_strerror)(CURLcode code);
  CURLcode (*easy_setopt)(CURL *handle, CURLoption option, ...);
  CURLcode (*easy_getinfo)(CURL *handle, CURLINFO info, ...);
  struct curl_slist *(*slist_append)(struct curl_slist *list, const char *text);
  void (*slist_free_all)(struct curl_slist *list);
  CURLM *(*multi_init)(void);
  CURLMcode (*multi_setopt)(CURLM *handle, CURLMoption option, ...);
  CURLMcode (*multi_add_handle)(CURLM *multi, CURL *easy);
  CURLMcode (*multi_remove_handle)(CURLM *multi, CURL *easy);
  CURLMcode (*multi_perform)(CURLM *multi, int *running);
  CURLMcode (*multi_poll)(CURLM *multi, struct curl_waitfd *extra, unsigned int count, int timeout_ms, int *ready);
  CURLMcode (*multi_wakeup)(CURLM *multi);
  CURLMsg *(*multi_info_read)(CURLM *multi, int *remaining);
} curl;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
// Set by `load` when every function resolved and curl_global_init succeeded; else `load_error` says why.
static int loaded = 0;
static char load_error[512];

// dlerror names the file and what is wrong with it, or the symbol it lacks.
static void fail(void) {
  const char *reason = dlerror();
  snprintf(load_error, sizeof load_error, "libcurl could not be loaded: %s", reason ? reason : SEEDNB_LIBCURL);
}

// dlsym returns a data pointer; POSIX guarantees it converts to a function pointer.
#define RESOLVE(library, field, name)                                                  \
  do {                                                                                 \
    *(void **)(&curl.field) = dlsym(library, name);                                    \
    if (curl.field == NULL) {                                                          \
      fail();                                                                          \
      return;                                                                          \
    }                                                                                  \
  } while (0)

static void load(void) {
  // Bound lazily, as a linked library would be: binding all of libcurl and its thirty
  // libraries at once costs the first request a fifth more than loading them does.
  void *library = dlopen(SEEDNB_LIBCURL, RTLD_LAZY | RTLD_LOCAL);
  if (library == NULL) {
    fail();
    return;
  }
  // The library stays loaded for the life of the process, even when a symbol is missing:
  // unloading a TLS library that registered handlers is not safe.
  RESOLVE(library, global_init, "curl_global_init");
  RESOLVE(library, easy_init, "curl_easy_init");
  RESOLVE(library, easy_cleanup, "curl_easy_cleanup");
  RESOLVE(library, easy_strerror, "curl_easy_strerror");
  RESOLVE(library, easy_setopt, "curl_easy_setopt");
  RESOLVE(library, easy_getinfo, "curl_easy_getinfo");
  RESOLVE(library, slist_append, "curl_slist_append");
  RESOLVE(library, slist_free_all, "curl_slist_free_all");
  RESOLVE(library, multi_init, "curl_multi_init");
  RESOLVE(library, multi_setopt, "curl_multi_setopt");
  RESOLVE(library, multi_add_handle, "curl_multi_add_handle");
  RESOLVE(library, multi_remove_handle, "curl_multi_remove_handle");
  RESOLVE(library, multi_perform, "curl_multi_perform");
  RESOLVE(library, multi_poll, "curl_multi_poll");
  RESOLVE(library, multi_wakeup, "curl_multi_wakeup");
  RESOLVE(library, multi_info_read, "curl_multi_info_read");
  CURLcode code = curl.global_init(CURL_GLOBAL_DEFAULT);
  if (code != CURLE_OK) {
    snprintf(load_error, sizeof load_error, "libcurl could not be initialised: %s", curl.easy_strerror(code));
    return;
  }
  loaded = 1;
}

static int ready(void) {
  pthread_once(&load_once, load);
  return loaded;
}

const char *seednb_curl_load_error(void) { return ready() ? NULL : load_error; }

CURL *seednb_easy_init(void) { return ready() ? curl.easy_init() : NULL; }

void seednb_easy_cleanup(CURL *handle) {
  if (ready()) curl.easy_cleanup(handle);
}

const char *seednb_easy_strerror(CURLcode code) { return ready() ? curl.easy_strerror(code) : load_error; }

CURLcode seednb_easy_setopt_long(CURL *handle, CURLoption option, long value) {
  return ready() ? curl.easy_setopt(handle, option, value) : CURLE_FAILED_INIT;
}

CURLcode seednb_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
  return ready() ? curl.easy_setopt(handle, option, value) : CURLE_FAILED_INIT;
}

CURLcode seednb_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
  return ready() ? curl.easy_setopt(handle, option, value) : CURLE_FAILED_INIT;
}

CURLcode seednb_easy_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
  return ready() ? curl.easy_setopt(handle, option, value) : CURLE_FAILED_INIT;
}

CURLcode seednb_easy_setopt_data_callback(CURL *handle, CURLoption option, seednb_data_callback callback) {
  return ready() ? curl.easy_setopt(handle, option, callback) : CURLE_FAILED_INIT;
}

CURLcode seednb_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
  return ready() ? curl.easy_getinfo(handle, info, value) : CURLE_FAILED_INIT;
}

CURLcode seednb_easy_getinfo_double(CURL *handle, CURLINFO info, double *value) {
  return ready() ? curl.easy_getinfo(handle, info, value) : CURLE_FAILED_INIT;
}

CURLcode seednb_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
  return ready() ? curl.easy_getinfo(handle, info, value) : CURLE_FAILED_INIT;
}

struct curl_slist *seednb_slist_append(struct curl_slist *list, const char *text) {
  return ready() ? curl.slist_append(list, text) : NULL;
}

void seednb_slist_free_all(struct curl_slist *list) {
  if (ready()) curl.slist_free_all(list);
}

CURLM *seednb_multi_init(void) { return ready() ? curl.multi_init() : NULL; }

CURLMcode seednb_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
  return ready() ? curl.multi_setopt(handle, option, value) : CURLM_INTERNAL_ERROR;
}

CURLMcode seednb_multi_add_handle(CURLM *multi, CURL *easy) {
  return ready() ? curl.multi_add_handle(multi, easy) : CURLM_INTERNAL_ERROR;
}

CURLMcode seednb_multi_remove_handle(CURLM *multi, CURL *easy) {
  return ready() ? curl.multi_remove_handle(multi, easy) : CURLM_INTERNAL_ERROR;
}

CURLMcode seednb_multi_perform(CURLM *multi, int *running) {
  return ready() ? curl.multi_perform(multi, running) : CURLM_INTERNAL_ERROR;
}

CURLMcode seednb_multi_poll(CURLM *multi, struct curl_waitfd *extra, unsigned int count, int timeout_ms, int *ready_count) {
  return ready() ? curl.multi_poll(multi, extra, count, timeout_ms, ready_count) : CURLM_INTERNAL_ERROR;
}

CURLMcode seednb_multi_wakeup(CURLM *multi) { return ready() ? curl.multi_wakeup(multi) : CURLM_INTERNAL_ERROR; }

CURLMsg *seednb_multi_info_read(CURLM *multi, int *remaining) { return ready() ? curl.multi_info_read(multi, remaining) : NULL; }
