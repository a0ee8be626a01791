// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_FRAME_WAIT_HPP
#define ZEROBUFFER_FRAME_WAIT_HPP

/// @file
/// A reader's wait for a frame, driven by the caller instead of a blocked
/// thread: for event loops (an Asio layer, a server's loop) that sleep their
/// own way.

#include <zerobuffer/frame.hpp>
#include <zerobuffer/wait_step.hpp>
#include <zerobuffer/wait_strategy.hpp>

#include <boost/system/error_code.hpp>

#include <chrono>
#include <memory>

#include <semaphore.h>

namespace zerobuffer {

class reader;

namespace detail {
struct driven_frame_wait;
} // namespace detail

/// One wait for the next frame of a `reader`, run by the caller.
///
/// It runs the machine `read_frame` runs (detail/wait_machine.hpp): each
/// `advance()` spins, looks at the writer and takes owed tokens on the calling
/// thread as the strategy says, and returns where the wait must sleep. The
/// driver then sleeps on `semaphore()` until `sleep_until()` its own way (a
/// helper thread in `sem_clockwait`, a futex wait on the semaphore's word
/// followed by `sem_trywait`, ...), reports with `slept(taken)` whether it
/// took a token, and advances again. When the wait is done the frame has been
/// consumed already, under the same lock as `read_frame`'s: no frame and no
/// token is lost between the wait and the read.
///
/// The strategy decides how much `advance()` spins before it asks for a
/// sleep: `wait_strategy::blocking()` never spins (an event loop's thread
/// stays free), busy-poll spins up to the deadline.
///
/// Thread safety: one thread drives a wait at a time; `interrupt()` may be
/// called from any thread while the wait lives. Several waits (and blocking
/// reads) of one reader may run at once, each gets a distinct frame. The wait
/// shares the reader's state: the buffer stays until the reader and its waits
/// are gone. `reader::close()` ends every wait with `operation_aborted` (one
/// that had not advanced yet ends with `invalid_state`, as a read would).
/// A moved-from wait may only be destroyed or assigned to.
class frame_wait {
public:
    /// Starts a wait for up to `timeout` under the reader's wait strategy,
    /// or under `strategy`. Nothing happens before the first `advance()`.
    frame_wait(reader& r, std::chrono::nanoseconds timeout);
    frame_wait(reader& r, std::chrono::nanoseconds timeout, const wait_strategy& strategy);
    frame_wait(frame_wait&&) noexcept;
    frame_wait& operator=(frame_wait&&) noexcept;
    ~frame_wait();

    /// Runs the wait on the calling thread until it must sleep (`sleep`) or
    /// is over (`done`, also on every later call). Precondition: not asleep
    /// (after `sleep`, call `slept` first).
    wait_step advance();

    /// While asleep: the semaphore to sleep on (the buffer's sem-w; a token
    /// of it announces a frame) and when the sleep ends at the latest (the
    /// deadline, or a liveness check of the writer).
    sem_t* semaphore() const noexcept;
    std::chrono::steady_clock::time_point sleep_until() const noexcept;

    /// While asleep, for a driver that can also wake when a descriptor is
    /// readable (an io_uring poll, epoll): what to watch so that the sleep
    /// may last longer than `sleep_until()`. The descriptor, the reader's
    /// own (never read from it or close it; it lives as long as the reader),
    /// becomes readable when the writer's liveness beacon is closed or
    /// removed (a clean close, and its death: the kernel closes it), or,
    /// while no writer was seen, when a writer of ours attaches. The sleep
    /// then ends at `until`: the deadline, or a long safety slice (see
    /// `detail::wait_machine::watched_sleep_until`). A wait's first slice is
    /// never watched, nor one right after the watch was made (what happened
    /// before it raised no event: one more look comes first), nor one whose
    /// writer has no beacon (another implementation's), nor one where
    /// inotify is not available: then `fd` is -1 and `until` is
    /// `sleep_until()`. A driver that watched `fd` reports the sleep's end
    /// with `slept(taken)` as usual. Precondition: asleep.
    peer_watch watch_peer() const;

    /// Ends a sleep: `taken`, the driver took a token of `semaphore()`
    /// (sem_trywait or sem_clockwait succeeded); false when the sleep ended
    /// without one. Precondition: asleep.
    void slept(bool taken) noexcept;

    /// Whether `advance()` said `done`.
    bool done() const noexcept;

    /// Once done: the frame, or an invalid frame when the wait timed out
    /// (no error) or failed (`ec`: the errors of `read_frame`, and
    /// `operation_aborted` after `interrupt()`). The throwing form throws
    /// those errors. Precondition: done; the frame is handed out once.
    frame take_frame(boost::system::error_code& ec);
    frame take_frame();

    /// Ends the wait from any thread: it finishes with `operation_aborted`
    /// at its next `advance()` (a spinning one within its current turn of
    /// polls), or with a frame that was committed already when it looked.
    /// Before the first `advance()` it looks at nothing: `operation_aborted`,
    /// and a frame there stays for the next read. A driver asleep on
    /// `semaphore()` is woken by a token posted for it (another read of the same reader may take
    /// that token first: then the sleep ends at `sleep_until()`).
    void interrupt() noexcept;

private:
    std::unique_ptr<detail::driven_frame_wait> state_;
};

} // namespace zerobuffer

#endif // ZEROBUFFER_FRAME_WAIT_HPP
