// libedit's native API (histedit.h) for Swift. el_set, el_get and history are variadic,
// which Swift cannot call, so each use seednb makes of them has a fixed-argument wrapper.
#ifndef SEEDNB_CEDITLINE_SHIM_H
#define SEEDNB_CEDITLINE_SHIM_H

#include <stdio.h>
#include <histedit.h>

typedef char *(*seednb_el_prompt_fn)(EditLine *);
typedef unsigned char (*seednb_el_command_fn)(EditLine *, int);

static inline int seednb_el_set_prompt(EditLine *el, seednb_el_prompt_fn prompt) {
  return el_set(el, EL_PROMPT, prompt);
}
static inline int seednb_el_set_editor(EditLine *el, const char *mode) { return el_set(el, EL_EDITOR, mode); }
static inline int seednb_el_set_signal(EditLine *el, int on) { return el_set(el, EL_SIGNAL, on); }
static inline int seednb_el_set_history(EditLine *el, History *h) { return el_set(el, EL_HIST, history, h); }
static inline int seednb_el_add_function(EditLine *el, const char *name, const char *help, seednb_el_command_fn fn) {
  return el_set(el, EL_ADDFN, name, help, fn);
}
static inline int seednb_el_bind(EditLine *el, const char *key, const char *command) {
  return el_set(el, EL_BIND, key, command, NULL);
}
/// Sets (+flag) or clears (-flag) a terminal flag of the editing mode, e.g. "-isig".
static inline int seednb_el_set_tty_edit_flag(EditLine *el, const char *flag) {
  return el_set(el, EL_SETTY, "-d", flag, NULL);
}
static inline int seednb_el_set_client_data(EditLine *el, void *data) { return el_set(el, EL_CLIENTDATA, data); }
static inline void *seednb_el_client_data(EditLine *el) {
  void *data = NULL;
  el_get(el, EL_CLIENTDATA, &data);
  return data;
}
static inline int seednb_el_refresh(EditLine *el) { return el_set(el, EL_REFRESH); }
/// The terminal's width in columns, for listing completions.
static inline int seednb_el_columns(EditLine *el) {
  int columns = 0;
  if (el_get(el, EL_GETTC, "co", &columns, NULL) != 0) return 80;
  return columns > 0 ? columns : 80;
}

static inline int seednb_history_set_size(History *h, int size) {
  HistEvent event;
  return history(h, &event, H_SETSIZE, size);
}
static inline int seednb_history_set_unique(History *h, int unique) {
  HistEvent event;
  return history(h, &event, H_SETUNIQUE, unique);
}
static inline int seednb_history_enter(History *h, const char *line) {
  HistEvent event;
  return history(h, &event, H_ENTER, line);
}
static inline int seednb_history_load(History *h, const char *path) {
  HistEvent event;
  return history(h, &event, H_LOAD, path);
}
static inline int seednb_history_save(History *h, const char *path) {
  HistEvent event;
  return history(h, &event, H_SAVE, path);
}

#endif
