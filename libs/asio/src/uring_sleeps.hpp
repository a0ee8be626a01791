// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_ASIO_SRC_URING_SLEEPS_HPP
#define ZEROBUFFER_ASIO_SRC_URING_SLEEPS_HPP

// The sleeps of one io_context on its ring. A sleep is an
// IORING_OP_FUTEX_WAIT on the semaphore's futex word (wait while it is 0),
// linked to an IORING_OP_LINK_TIMEOUT at the deadline. A watched sleep adds
// an IORING_OP_POLL_ADD of its watch descriptor, linked to a timeout at the
// same deadline: whichever of the two completes first ends the sleep, and
// the other is cancelled (a sleep that a token ends soon, the common case, is
// never watched: see frame_wait::watch_peer). The ring's fd is
// watched by the context's reactor (a stream_descriptor) while sleeps are
// pending, so the CQEs are reaped, and the `done` callbacks called, on the
// context's own threads: no helper thread.
//
// uring_submission.cpp starts and cancels sleeps; uring_completion.cpp reaps
// the CQEs, drives the reactor wait and closes.

#include "glibc_semaphore.hpp"
#include "sleeper.hpp"
#include "uring_ring.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include <linux/time_types.h>

namespace zerobuffer::asio::detail {

namespace uring {
/// What a CQE's user_data says: the sleep's id, and in the low three bits
/// which of its requests completed. The futex wait's CQE ends a sleep, and
/// the watch's poll ends it early; those of the linked timeouts and of cancel
/// requests only need reaping.
enum class request : std::uint64_t {
    futex = 0,
    timeout = 1,
    cancel = 2,
    poll = 3,
    poll_timeout = 4
};
inline constexpr unsigned request_bits = 3;
inline constexpr std::uint64_t request_mask = (std::uint64_t{1} << request_bits) - 1;

constexpr std::uint64_t user_data(std::uint64_t id, request r) noexcept
{
    return (id << request_bits) | static_cast<std::uint64_t>(r);
}
} // namespace uring

/// A `done` to call outside the lock.
struct uring_completion {
    std::function<void(bool)> done;
    bool taken = false;
};

/// Shared by the sleeper and the handlers it gives the io_context (through a
/// weak_ptr, so that a handler that runs after the sleeper is gone does
/// nothing).
class uring_sleeps : public std::enable_shared_from_this<uring_sleeps> {
public:
    explicit uring_sleeps(boost::asio::io_context& ctx) : ctx_(ctx), descriptor_(ctx) {}
    uring_sleeps(const uring_sleeps&) = delete;
    uring_sleeps& operator=(const uring_sleeps&) = delete;

    /// Sets up the ring; false with `ec` when io_uring or its futex wait is
    /// not available here.
    bool open(boost::system::error_code& ec);

    std::uint64_t start(sleep_request request);
    void cancel(std::uint64_t id) noexcept;
    /// Ends every sleep without calling its `done`; later starts are ignored.
    void close() noexcept;

private:
    using clock_type = std::chrono::steady_clock;

    struct entry {
        // Declared first, destroyed last: the callback may own the semaphore
        // that the registration below still has to count out of.
        std::function<void(bool)> done;
        waiter_registration registration;
        sem_t* sem = nullptr;
        clock_type::time_point deadline;
        // The linked timeout's deadline (the kernel copies it while it takes
        // the SQE; kept with the entry for the resubmissions).
        __kernel_timespec timeout{};
        bool has_timeout = false;
        std::uint32_t futex_flags = uring::futex2_size_u32;
        // CQEs of this entry the kernel has still to post (futex, timeout):
        // the entry stays, its id reserved, until the last one is reaped.
        unsigned cqes_due = 0;
        bool futex_in_flight = false; // a futex wait of it is in the kernel
        bool cancelled = false;       // cancel() asked: no retry
        bool cancel_owed = false;     // the ASYNC_CANCEL could not be submitted yet
        bool finished = false;        // `done` handed out (or dropped)
        // The watch: its descriptor (-1: none, or its poll could not be
        // submitted), the deadline of an unwatched sleep to fall back to.
        int watch_fd = -1;
        clock_type::time_point unwatched_deadline;
        bool poll_submitted = false;   // once per sleep, with its timeout
        bool poll_in_flight = false;   // the poll is in the kernel
        bool poll_fired = false;       // it completed first: the sleep ends
        bool poll_abandoned = false;   // cancelled without ending the sleep
        bool poll_cancel_owed = false; // its ASYNC_CANCEL could not be submitted yet
    };

    /// sem_trywait, retried on EINTR.
    static bool take_token(sem_t* sem) noexcept;

    // uring_submission.cpp; all but submit_from_context with mutex_ held.
    static void set_deadline(entry& e, clock_type::time_point deadline) noexcept;
    bool submit_sleep(std::uint64_t id, entry& e) noexcept;
    void submit_watch(std::uint64_t id, entry& e) noexcept;
    bool submit_cancel(std::uint64_t id, uring::request target) noexcept;
    void cancel_or_owe(std::uint64_t id, entry& e) noexcept;
    void cancel_poll_or_owe(std::uint64_t id, entry& e) noexcept;
    /// Cancels the request `target` of sleep `id`, or marks the cancel
    /// `owed` (an entry's cancel_owed or poll_cancel_owed) for a retry.
    void cancel_request_or_owe(std::uint64_t id, uring::request target, bool& owed) noexcept;
    /// Clears an owed cancel's flag and its count.
    void settle_owed(bool& owed) noexcept;
    void owe_retry() noexcept;
    void submit_owed_cancels() noexcept;
    void submit_from_context(std::uint64_t id);

    // uring_completion.cpp; all but on_ready and deliver with mutex_ held.
    void arm_wait();
    void disarm_if_idle() noexcept;
    void reap(std::vector<uring_completion>& out);
    void on_futex_cqe(std::uint64_t id, std::int32_t res, std::vector<uring_completion>& out);
    void on_poll_cqe(std::uint64_t id, std::int32_t res);
    /// Stops watching: the sleep goes on as an unwatched one.
    void abandon_watch(std::uint64_t id, entry& e) noexcept;
    /// Hands out `done` and forgets the entry once its last CQE is reaped;
    /// a watch still polling is cancelled.
    void finish(std::unordered_map<std::uint64_t, entry>::iterator it, bool taken,
                std::vector<uring_completion>& out);
    void on_ready(std::uint64_t generation);
    /// Calls the callbacks in order, outside the lock.
    void deliver(std::vector<uring_completion>& out);

    boost::asio::io_context& ctx_;
    uring_ring ring_; // destroyed after descriptor_, which closes the fd

    std::mutex mutex_;
    // Owns the ring fd once open; registered with the context's reactor.
    boost::asio::posix::stream_descriptor descriptor_;
    std::unordered_map<std::uint64_t, entry> entries_;
    std::uint64_t next_id_ = 0;
    bool wait_armed_ = false;
    std::uint64_t wait_generation_ = 0;
    std::size_t cancels_owed_ = 0; // flags cancel_owed and poll_cancel_owed set
    bool retry_posted_ = false;    // a retry of the owed cancels is queued on ctx_
    bool closed_ = false;
};

} // namespace zerobuffer::asio::detail

#endif // ZEROBUFFER_ASIO_SRC_URING_SLEEPS_HPP
