// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_SPACE_WAIT_HPP
#define ZEROBUFFER_SPACE_WAIT_HPP

/// @file
/// A writer's wait for room in the ring, driven by the caller instead of a
/// blocked thread: for event loops that sleep their own way.

#include <zerobuffer/wait_step.hpp>
#include <zerobuffer/wait_strategy.hpp>

#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <span>

#include <semaphore.h>

namespace zerobuffer {

class writer;

namespace detail {
struct driven_space_wait;
} // namespace detail

/// One wait for room for a frame of `size` bytes in a `writer`'s ring, run
/// by the caller; it ends with the frame reserved, as `get_frame_buffer`
/// reserves it.
///
/// It runs the machine `write_frame` runs: each `advance()` spins, looks at
/// the free bytes and the reader, and takes owed tokens on the calling thread
/// as the strategy says, and returns where the wait must sleep. The driver
/// then sleeps on `semaphore()` (the buffer's sem-r: a token of it announces
/// a release) until `sleep_until()` its own way, reports with `slept(taken)`
/// whether it took a token, and advances again. When the wait is done the
/// frame is reserved: fill `take_buffer()`'s span, then
/// `writer::commit_frame()`. No token is lost, and no frame is committed by a
/// wait that fails or is interrupted.
///
/// Thread safety: one thread drives a wait at a time; `interrupt()` may be
/// called from any thread while the wait lives. The writer object must
/// outlive the wait and not be moved meanwhile. Waits and blocking writes of
/// other threads wait side by side: whichever finds room first reserves
/// first. `writer::close()` ends every wait with `operation_aborted` (one
/// that had not advanced yet ends with `invalid_state`, as a write would).
/// A moved-from wait may only be destroyed or assigned to.
class space_wait {
public:
    /// Starts a wait for room for `size` bytes, for up to the writer's write
    /// timeout under its wait strategy, or for `timeout` under `strategy`.
    /// Nothing happens before the first `advance()`.
    space_wait(writer& w, std::size_t size);
    space_wait(writer& w, std::size_t size, std::chrono::nanoseconds timeout,
               const wait_strategy& strategy);
    space_wait(space_wait&&) noexcept;
    space_wait& operator=(space_wait&&) noexcept;
    ~space_wait();

    /// Runs the wait on the calling thread until it must sleep (`sleep`) or
    /// is over (`done`, also on every later call). Precondition: not asleep.
    wait_step advance();

    /// While asleep: the semaphore to sleep on, and when the sleep ends at
    /// the latest (the deadline, or a liveness check of the reader).
    sem_t* semaphore() const noexcept;
    std::chrono::steady_clock::time_point sleep_until() const noexcept;

    /// While asleep, for a driver that can also wake when a descriptor is
    /// readable: as `frame_wait::watch_peer`, with the reader's lock file
    /// watched (the reader holds it for its life; its death closes it, its
    /// clean close unlinks it). Precondition: asleep.
    peer_watch watch_peer() const;

    /// Ends a sleep: `taken`, the driver took a token of `semaphore()`.
    /// Precondition: asleep.
    void slept(bool taken) noexcept;

    /// Whether `advance()` said `done`.
    bool done() const noexcept;

    /// Once done: the reserved frame's data area (commit it with
    /// `writer::commit_frame()`), or an empty span and `ec`: `buffer_full`
    /// (timed out), `reader_dead`, `operation_aborted` (after `interrupt()`
    /// or a close), and the errors of `get_frame_buffer`. The throwing form
    /// throws them. Precondition: done. The span is handed out once (then
    /// empty); the frame stays reserved, and other writes fail with
    /// `invalid_state`, until `writer::commit_frame()`.
    std::span<std::byte> take_buffer(boost::system::error_code& ec);
    std::span<std::byte> take_buffer();

    /// Ends the wait from any thread, as `frame_wait::interrupt` does;
    /// before the first `advance()`, it reserves nothing even where there is
    /// room now.
    void interrupt() noexcept;

private:
    std::unique_ptr<detail::driven_space_wait> state_;
};

} // namespace zerobuffer

#endif // ZEROBUFFER_SPACE_WAIT_HPP
