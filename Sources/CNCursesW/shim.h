// The parts of ncursesw that Swift cannot import directly: attribute and mouse macros,
// and globals that Swift 6 rejects as not concurrency-safe. Values come from curses.h
// itself, never hard-coded.
#ifndef MASKSCOPE_CNCURSESW_SHIM_H
#define MASKSCOPE_CNCURSESW_SHIM_H

#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <stdio.h>
#include <wchar.h>
#include <ncursesw/curses.h>

extern int wcwidth(wchar_t);
extern int wcswidth(const wchar_t *, size_t);

static inline attr_t ms_attr_normal(void) { return A_NORMAL; }
static inline attr_t ms_attr_bold(void) { return A_BOLD; }
static inline attr_t ms_attr_dim(void) { return A_DIM; }
static inline attr_t ms_attr_reverse(void) { return A_REVERSE; }
static inline attr_t ms_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t ms_attr_italic(void) { return A_ITALIC; }

static inline mmask_t ms_mouse_all_events(void) { return ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION; }
static inline mmask_t ms_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t ms_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t ms_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t ms_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t ms_button5_pressed(void) { return BUTTON5_PRESSED; }

static inline WINDOW *ms_stdscr(void) { return stdscr; }
static inline int ms_lines(void) { return LINES; }
static inline int ms_cols(void) { return COLS; }
static inline int ms_colors(void) { return COLORS; }
static inline int ms_color_pairs(void) { return COLOR_PAIRS; }
static inline FILE *ms_stdout(void) { return stdout; }
static inline FILE *ms_stdin(void) { return stdin; }

#endif
