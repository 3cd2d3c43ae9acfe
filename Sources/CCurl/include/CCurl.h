// libcurl for Swift, loaded on first use.
//
// seednb links no libcurl: the library and the thirty it depends on (TLS, Kerberos, LDAP,
// SSH...) would cost every start of the process several milliseconds in the dynamic loader,
// though most runs (cached cells, scripts without calls, render, check) never send a request.
// Each function here loads libcurl.so.4 the first time any of them is called (once, whatever
// the thread), runs curl_global_init, then forwards to libcurl. `seednb_curl_load_error`
// says why the library could not be loaded; until it is, every call fails without a crash
// (an error code, or NULL).
//
// curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are variadic, which Swift cannot
// call, so each argument type gets a typed function.
#ifndef SEEDNB_CCURL_H
#define SEEDNB_CCURL_H

#include <curl/curl.h>

/// NULL once libcurl is loaded and initialised; otherwise why it could not be (loading it
/// first if no call has yet).
const char *seednb_curl_load_error(void);

CURL *seednb_easy_init(void);
void seednb_easy_cleanup(CURL *handle);
const char *seednb_easy_strerror(CURLcode code);

CURLcode seednb_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode seednb_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode seednb_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode seednb_easy_setopt_off(CURL *handle, CURLoption option, curl_off_t value);

typedef size_t (*seednb_data_callback)(char *data, size_t size, size_t count, void *context);

CURLcode seednb_easy_setopt_data_callback(CURL *handle, CURLoption option, seednb_data_callback callback);

CURLcode seednb_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode seednb_easy_getinfo_double(CURL *handle, CURLINFO info, double *value);
CURLcode seednb_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value);

struct curl_slist *seednb_slist_append(struct curl_slist *list, const char *text);
void seednb_slist_free_all(struct curl_slist *list);

CURLM *seednb_multi_init(void);
CURLMcode seednb_multi_setopt_long(CURLM *handle, CURLMoption option, long value);
CURLMcode seednb_multi_add_handle(CURLM *multi, CURL *easy);
CURLMcode seednb_multi_remove_handle(CURLM *multi, CURL *easy);
CURLMcode seednb_multi_perform(CURLM *multi, int *running);
CURLMcode seednb_multi_poll(CURLM *multi, struct curl_waitfd *extra, unsigned int count, int timeout_ms, int *ready);
CURLMcode seednb_multi_wakeup(CURLM *multi);
CURLMsg *seednb_multi_info_read(CURLM *multi, int *remaining);

#endif
