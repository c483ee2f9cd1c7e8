// The parts of ncursesw that Swift cannot import directly: attribute and mouse macros,
// and globals that Swift 6 rejects as not concurrency-safe. Values come from curses.h
// itself, never hard-coded.
#ifndef MASKSCOPE_CNCURSESW_SHIM_H
#define MASKSCOPE_CNCURSESW_SHIM_H

#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
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

/* The events the explorer reacts to: button 1 down/up (and whole clicks where a terminal
   reports them) and the wheel. No motion reports, which would flood the input queue. */
static inline mmask_t ms_mouse_explorer_events(void) {
    return BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED;
}

static inline WINDOW *ms_stdscr(void) { return stdscr; }
static inline int ms_lines(void) { return LINES; }
static inline int ms_cols(void) { return COLS; }
static inline int ms_colors(void) { return COLORS; }
static inline int ms_color_pairs(void) { return COLOR_PAIRS; }
static inline FILE *ms_stdout(void) { return stdout; }
static inline FILE *ms_stdin(void) { return stdin; }

static inline const char *ms_codeset(void) { return nl_langinfo(CODESET); }

/* A terminfo string capability, or NULL when the terminal lacks it (tigetstr's (char *)-1
   "not a string capability" is folded into NULL). */
static inline const char *ms_string_capability(const char *name) {
    char *value = tigetstr(name);
    return (value == (char *)-1) ? NULL : value;
}

/* Restoring the terminal from SIGINT/SIGTERM/SIGHUP, using only async-signal-safe calls:
   the handler writes a precomputed reset sequence (leave the alternate screen, show the cursor,
   stop mouse reports), puts back the termios saved before ncurses started, then re-raises the
   signal with its default action so the process ends with the usual status (130 for Ctrl-C). */
struct ms_restore_state {
    struct termios saved_termios;
    volatile sig_atomic_t saved_termios_valid;
    char reset_sequence[512];
    volatile sig_atomic_t reset_length;
    struct sigaction crash_previous[7];
    volatile sig_atomic_t crash_handlers_installed;
    /* SIGQUIT hands over to the Swift backtracer only when SWIFT_BACKTRACE asks for it. */
    volatile sig_atomic_t quit_report_wanted;
};

/* The signals that end the process with a report (SIGQUIT, and the faults a Swift trap,
   abort or bad access raises); the Swift runtime's backtracer handles them. */
static inline const int *ms_crash_signals(void) {
    static const int signals[7] = { SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE };
    return signals;
}

/* Function-local storage: file-scope statics in a header are not emitted for Swift. */
static inline struct ms_restore_state *ms_restore_state(void) {
    static struct ms_restore_state state;
    return &state;
}

static inline int ms_save_termios(void) {
    struct ms_restore_state *state = ms_restore_state();
    if (tcgetattr(STDIN_FILENO, &state->saved_termios) != 0) return -1;
    state->saved_termios_valid = 1;
    return 0;
}

static inline void ms_set_reset_sequence(const char *bytes, size_t length) {
    struct ms_restore_state *state = ms_restore_state();
    if (length > sizeof state->reset_sequence) length = sizeof state->reset_sequence;
    state->reset_length = 0;
    memcpy(state->reset_sequence, bytes, length);
    state->reset_length = (sig_atomic_t)length;
}

static void ms_restore_and_reraise(int signal_number) {
    struct ms_restore_state *state = ms_restore_state();
    if (state->reset_length > 0) {
        ssize_t ignored = write(STDOUT_FILENO, state->reset_sequence, (size_t)state->reset_length);
        (void)ignored;
    }
    if (state->saved_termios_valid) tcsetattr(STDIN_FILENO, TCSAFLUSH, &state->saved_termios);
    signal(signal_number, SIG_DFL);
    raise(signal_number);
}

/* The ratatui panic-hook idea for fatal signals: give the terminal back first (reset sequence,
   saved termios), then hand the signal to whoever handled it before (the Swift backtracer, or
   the default action), so its crash report prints on a normal screen. A fault (SIGILL, SIGTRAP,
   SIGSEGV, SIGBUS, SIGFPE) is simply returned from: the faulting instruction runs again and
   faults into the previous handler with its real context. SIGQUIT and SIGABRT are sent, not
   caused by an instruction, and the Swift backtracer returns from them after its report, so
   the previous handler is called here and the signal then ends the process by default.
   SIGQUIT (Ctrl-\) is a person quitting, not a crash: by default it skips the backtracer, whose
   report of every thread would then wait 30 s for a key at the terminal, says one line and ends
   with the default action (status 131). SWIFT_BACKTRACE in the environment keeps the report. */
static void ms_restore_and_chain(int signal_number, siginfo_t *info, void *context) {
    struct ms_restore_state *state = ms_restore_state();
    if (state->reset_length > 0) {
        ssize_t ignored = write(STDOUT_FILENO, state->reset_sequence, (size_t)state->reset_length);
        (void)ignored;
        state->reset_length = 0;
    }
    if (state->saved_termios_valid) tcsetattr(STDIN_FILENO, TCSAFLUSH, &state->saved_termios);
    const int *signals = ms_crash_signals();
    struct sigaction previous;
    memset(&previous, 0, sizeof previous);
    previous.sa_handler = SIG_DFL;
    for (int i = 0; i < 7; i++) {
        if (signals[i] != signal_number) continue;
        previous = state->crash_previous[i];
        sigaction(signal_number, &state->crash_previous[i], NULL);
    }
    if (signal_number != SIGQUIT && signal_number != SIGABRT) return;
    if (signal_number == SIGQUIT && !state->quit_report_wanted) {
        static const char note[] = "maskscope: quit by SIGQUIT (set SWIFT_BACKTRACE=enable=yes for a thread report)\n";
        ssize_t ignored = write(STDERR_FILENO, note, sizeof note - 1);
        (void)ignored;
        signal(signal_number, SIG_DFL);
        raise(signal_number);
        return;
    }
    if (previous.sa_flags & SA_SIGINFO) {
        if (previous.sa_sigaction) previous.sa_sigaction(signal_number, info, context);
    } else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN && previous.sa_handler) {
        previous.sa_handler(signal_number);
    }
    signal(signal_number, SIG_DFL);
    raise(signal_number);  /* blocked until this handler returns, then the default action */
}

static inline int ms_install_crash_handlers(void) {
    struct ms_restore_state *state = ms_restore_state();
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = ms_restore_and_chain;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;  /* SA_ONSTACK: the runtime's alternate stack after a stack overflow */
    sigemptyset(&action.sa_mask);
    const int *signals = ms_crash_signals();
    state->quit_report_wanted = getenv("SWIFT_BACKTRACE") != NULL;
    for (int i = 0; i < 7; i++) {
        if (sigaction(signals[i], &action, &state->crash_previous[i]) != 0) return -1;
    }
    state->crash_handlers_installed = 1;
    return 0;
}

static inline void ms_restore_crash_handlers(void) {
    struct ms_restore_state *state = ms_restore_state();
    if (!state->crash_handlers_installed) return;
    const int *signals = ms_crash_signals();
    for (int i = 0; i < 7; i++) sigaction(signals[i], &state->crash_previous[i], NULL);
    state->crash_handlers_installed = 0;
}

/* Unblocks the signals the explorer relies on (Ctrl-C, hang-up, termination, resize, job
   control) on the calling thread. A process can inherit them blocked from whatever started it;
   then Ctrl-C would do nothing and resizing would go unnoticed. */
static inline int ms_unblock_terminal_signals(void) {
    sigset_t set;
    sigemptyset(&set);
    int signals[7] = { SIGINT, SIGTERM, SIGHUP, SIGWINCH, SIGTSTP, SIGCONT, SIGQUIT };
    for (int i = 0; i < 7; i++) sigaddset(&set, signals[i]);
    return pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

/* Installs the handler for SIGINT, SIGTERM and SIGHUP, keeping the previous actions in
   `previous` (3 entries) so they can be put back. */
static inline int ms_install_restore_handlers(struct sigaction *previous) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = ms_restore_and_reraise;
    sigemptyset(&action.sa_mask);
    int signals[3] = { SIGINT, SIGTERM, SIGHUP };
    for (int i = 0; i < 3; i++) {
        if (sigaction(signals[i], &action, &previous[i]) != 0) return -1;
    }
    return 0;
}

static inline void ms_restore_previous_handlers(const struct sigaction *previous) {
    int signals[3] = { SIGINT, SIGTERM, SIGHUP };
    for (int i = 0; i < 3; i++) sigaction(signals[i], &previous[i], NULL);
    ms_restore_crash_handlers();
    ms_restore_state()->saved_termios_valid = 0;
    ms_restore_state()->reset_length = 0;
}

#endif
