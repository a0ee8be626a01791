// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TEST_PEER_PEER_HPP
#define ZEROBUFFER_TEST_PEER_PEER_HPP

// zerobuffer_test_peer: the other process of the multi-process tests.
//
// It prints one machine-readable line per event on stdout, flushed at once,
// so that a test can wait for a line instead of sleeping:
//   ready pid=P payload=N metadata=M       a reader was created
//   connecting / connected pid=P max_frame=N   a writer attaches / attached
//   metadata written size=N                the writer stored its metadata
//   metadata size=N ok|bad                 the reader checked the metadata
//   wrote seq=S size=N                     (--print-frames) the writer wrote a frame
//   frame seq=S size=N ok|bad              the reader got a frame ("bad" always printed)
//   done frames=N ...                      a batch of reads or writes ended
//   holding ...                            waiting for a command on stdin
//   released frames=N / closed            a command was carried out
//   timeout frames=N                       the reader waited --timeout-ms for nothing
//   error NAME [key=value...]              NAME is the errc name, or "system errno=E"
// and reads commands, one a line, on stdin while it holds (EOF means "exit").
//
// Exit codes: 0 success, 1 usage, 2 unexpected exception, 3 system error,
// 4 data did not match the test pattern, 5 read timeout, 10 + errc value for a
// zerobuffer error (e.g. 10 + errc::buffer_full).

#include <zerobuffer/buffer_config.hpp>
#include <zerobuffer/writer.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zerobuffer::test_peer {

inline constexpr int exit_ok = 0;
inline constexpr int exit_usage = 1;
inline constexpr int exit_exception = 2;
inline constexpr int exit_system_error = 3;
inline constexpr int exit_bad_data = 4;
inline constexpr int exit_timeout = 5;
inline constexpr int exit_errc_base = 10;

/// Everything the command line can say; each command uses what it needs.
struct options {
    std::string command;
    std::string name;

    // Reader (read, hold-reader).
    buffer_config config;                          ///< --payload-size, --metadata-size, --mode
    std::optional<unsigned> umask;                 ///< --umask (octal)
    std::chrono::milliseconds read_timeout{10000}; ///< --timeout-ms: per frame
    std::optional<std::size_t> expect_metadata;    ///< --expect-metadata N: verify N bytes
    bool verify = false;                           ///< --verify: check pattern and sequence
    bool no_release = false;                       ///< --no-release: hold frames until "release"
    std::uint64_t delay_us = 0;    ///< --delay-us: sleep after a frame (slow reader)
    std::uint64_t delay_every = 1; ///< --delay-every K: ... after every K-th frame
    bool wait_go = false;          ///< --wait-go: create only after a "go" line

    // Writer (write, write-until-blocked).
    std::vector<std::size_t> sizes{1024}; ///< --size S or --sizes a,b,c (cycled)
    std::size_t metadata_length = 0;      ///< write: --metadata-size M bytes of metadata
    writer_options writer;                ///< --write-timeout-ms, --connect-timeout-ms
    bool zero_copy = false;               ///< --zero-copy: get_frame_buffer + commit_frame
    bool retry_on_full = false;           ///< --retry-on-full: wait for "retry MS" on buffer_full
    bool close = false;                   ///< --close: close the writer explicitly at the end

    // Both.
    std::uint64_t count = 1;       ///< --count N frames
    bool until_error = false;      ///< --until-error: instead of --count, until a call fails
    bool print_frames = false;     ///< --print-frames: one line per frame
    bool hold_before_exit = false; ///< --hold-before-exit: take commands before exiting
    unsigned max_seconds = 120;    ///< --max-seconds: SIGALRM safety net
};

/// Parses argv; throws std::invalid_argument with a message on bad usage.
options parse_options(int argc, char** argv);

/// Writes one line to stdout at once.
void say(std::string_view line);

/// The next command line from stdin; empty on EOF.
std::string next_command();

/// The line and exit code for the current exception (call inside a catch).
int report_exception(std::string_view context);

int run_reader(const options& opt);
int run_writer(const options& opt);

} // namespace zerobuffer::test_peer

#endif // ZEROBUFFER_TEST_PEER_PEER_HPP
