// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// Starting and cancelling the sleeps of uring_sleeps: what goes into the SQ.

#include "uring_sleeps.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <cerrno>

#include <poll.h>

namespace zerobuffer::asio::detail {

bool uring_sleeps::take_token(sem_t* sem) noexcept
{
    for (;;) {
        if (::sem_trywait(sem) == 0)
            return true;
        if (errno != EINTR)
            return false;
    }
}

bool uring_sleeps::open(boost::system::error_code& ec)
{
    // 64 SQEs: every start or cancel is submitted at once, so the SQ is empty
    // between calls. 1024 CQEs: room for the two CQEs of 512 sleeps that end
    // between two reaps; more wait in the kernel (IORING_FEAT_NODROP).
    if (!ring_.open(64, 1024, ec))
        return false;
    descriptor_.assign(ring_.fd(), ec);
    if (ec)
        return false; // the ring still owns the fd and closes it
    ring_.release_fd();
    return true;
}

std::uint64_t uring_sleeps::start(sleep_request request)
{
    const std::lock_guard lock(mutex_);
    const std::uint64_t id = ++next_id_;
    if (closed_)
        return id; // `done` is dropped with `request`, never called

    entry& e = entries_.try_emplace(id).first->second;
    e.done = std::move(request.done);
    e.sem = request.sem;
    e.futex_flags = uring::futex2_size_u32 |
                    (glibc_semaphore(request.sem).is_private() ? uring::futex2_private : 0U);
    e.unwatched_deadline = request.deadline;
    if (request.watch.fd >= 0) {
        e.watch_fd = request.watch.fd;
        set_deadline(e, request.watch.until);
    } else {
        set_deadline(e, request.deadline);
    }

    try {
        // Armed before the submission: a CQE that the kernel posts during
        // io_uring_enter (a token already there: -EAGAIN at once) raises a
        // readiness edge this wait sees (the reactor is edge-triggered).
        arm_wait();
        // Submitted from a thread of the context only: the kernel completes
        // a futex wait through task work on the thread that submitted it,
        // which interrupts that thread (and a blocking call of it may return
        // EINTR) and waits for it to be scheduled. A thread of the context
        // is in its reactor or about to be; any other is not ours to
        // disturb, so the sleep is submitted from the context instead.
        bool submitted = false;
        if (ctx_.get_executor().running_in_this_thread()) {
            // Counted in before the futex wait is queued, so that a post
            // after the kernel's look at the word wakes it.
            e.registration = waiter_registration(e.sem);
            submitted = submit_sleep(id, e);
            if (!submitted)
                e.registration.reset();
        }
        if (!submitted) {
            // Another thread, or the kernel took nothing (tried once more
            // from the context): never inside start().
            boost::asio::post(ctx_, [weak = weak_from_this(), id] {
                if (const auto self = weak.lock())
                    self->submit_from_context(id);
            });
        }
    } catch (...) {
        // bad_alloc from the reactor wait or the post: the caller sees the
        // exception, and `done` is dropped. A watch's poll that went in is
        // cancelled; the entry stays until its CQEs are reaped.
        if (e.poll_in_flight) {
            e.finished = true;
            e.done = nullptr;
            e.poll_abandoned = true;
            cancel_poll_or_owe(id, e);
        } else {
            entries_.erase(id);
            disarm_if_idle();
        }
        throw;
    }
    return id;
}

void uring_sleeps::set_deadline(entry& e, clock_type::time_point deadline) noexcept
{
    e.deadline = deadline;
    e.has_timeout = deadline != clock_type::time_point::max();
    if (!e.has_timeout)
        return;
    // Absolute on CLOCK_MONOTONIC, which steady_clock reads: the timeout
    // fires at the deadline itself, so "now < deadline" after a CQE tells a
    // timeout from other cancellations. One before the clock's epoch has
    // passed already.
    const auto ns = std::max<std::int64_t>(
        0,
        std::chrono::duration_cast<std::chrono::nanoseconds>(deadline.time_since_epoch()).count());
    e.timeout.tv_sec = ns / 1'000'000'000;
    e.timeout.tv_nsec = ns % 1'000'000'000;
}

void uring_sleeps::submit_watch(std::uint64_t id, entry& e) noexcept
{
    e.poll_submitted = true;
    const std::uint32_t need = e.has_timeout ? 2 : 1;
    std::uint32_t taken = 0;
    if (ring_.sq_space() >= need) {
        io_uring_sqe* const poll = ring_.next_sqe();
        poll->opcode = IORING_OP_POLL_ADD;
        poll->flags = e.has_timeout ? IOSQE_IO_LINK : 0;
        poll->fd = e.watch_fd;
        poll->poll32_events = POLLIN; // one-shot: it completes once
        poll->user_data = uring::user_data(id, uring::request::poll);
        if (e.has_timeout) {
            // The same deadline as the futex wait's: a poll that nobody
            // manages to cancel still ends with the sleep.
            io_uring_sqe* const timeout = ring_.next_sqe();
            timeout->opcode = IORING_OP_LINK_TIMEOUT;
            timeout->fd = -1;
            timeout->addr = reinterpret_cast<std::uint64_t>(&e.timeout);
            timeout->len = 1;
            timeout->timeout_flags = IORING_TIMEOUT_ABS;
            timeout->user_data = uring::user_data(id, uring::request::poll_timeout);
        }
        taken = ring_.submit();
    }
    if (taken != 0) {
        e.poll_in_flight = true;
        e.cqes_due += taken;
    }
    if (taken == need)
        return;
    // Not watched after all (the kernel took nothing, or the poll without
    // its timeout, which is cancelled at once): a slice as without a watch.
    abandon_watch(id, e);
}

void uring_sleeps::abandon_watch(std::uint64_t id, entry& e) noexcept
{
    e.watch_fd = -1;
    set_deadline(e, std::min(e.deadline, e.unwatched_deadline));
    if (e.poll_in_flight) {
        e.poll_abandoned = true; // its CQE ends nothing
        cancel_poll_or_owe(id, e);
    }
}

bool uring_sleeps::submit_sleep(std::uint64_t id, entry& e) noexcept
{
    if (e.watch_fd >= 0 && !e.poll_submitted)
        submit_watch(id, e); // first: its failure shortens the futex wait's deadline
    const std::uint32_t need = e.has_timeout ? 2 : 1;
    if (ring_.sq_space() < need)
        return false;

    io_uring_sqe* const wait = ring_.next_sqe();
    wait->opcode = uring::op_futex_wait;
    wait->flags = e.has_timeout ? IOSQE_IO_LINK : 0;
    wait->fd = static_cast<std::int32_t>(e.futex_flags);
    wait->addr = reinterpret_cast<std::uint64_t>(glibc_semaphore(e.sem).futex_word());
    wait->addr2 = 0; // sleep while the value is 0: the kernel compares atomically
    wait->addr3 = uring::futex_bitset_match_any;
    wait->rw_flags = 0; // sqe->futex_flags in 6.7+: must be 0
    wait->user_data = uring::user_data(id, uring::request::futex);

    if (e.has_timeout) {
        io_uring_sqe* const timeout = ring_.next_sqe();
        timeout->opcode = IORING_OP_LINK_TIMEOUT;
        timeout->fd = -1;
        timeout->addr = reinterpret_cast<std::uint64_t>(&e.timeout);
        timeout->len = 1;
        timeout->timeout_flags = IORING_TIMEOUT_ABS; // CLOCK_MONOTONIC, the steady clock's
        timeout->user_data = uring::user_data(id, uring::request::timeout);
    }

    const std::uint32_t taken = ring_.submit();
    if (taken == 0)
        return false;
    e.futex_in_flight = true;
    e.cqes_due += taken;
    if (taken < need) {
        // The futex wait went in without its timeout, which could leave it
        // asleep past the deadline: cancel it at once. Not marked cancelled,
        // so its CQE submits the pair again.
        cancel_or_owe(id, e);
    }
    return true;
}

bool uring_sleeps::submit_cancel(std::uint64_t id, uring::request target) noexcept
{
    io_uring_sqe* const sqe = ring_.next_sqe();
    if (sqe == nullptr)
        return false;
    sqe->opcode = IORING_OP_ASYNC_CANCEL;
    sqe->fd = -1;
    sqe->addr = uring::user_data(id, target); // the request to cancel
    sqe->user_data = uring::user_data(id, uring::request::cancel);
    return ring_.submit() == 1;
}

void uring_sleeps::cancel_or_owe(std::uint64_t id, entry& e) noexcept
{
    cancel_request_or_owe(id, uring::request::futex, e.cancel_owed);
}

void uring_sleeps::cancel_poll_or_owe(std::uint64_t id, entry& e) noexcept
{
    // Owed as a futex wait's cancel is: the poll's timeout would end it at
    // the deadline, but until then the entry keeps the context busy.
    cancel_request_or_owe(id, uring::request::poll, e.poll_cancel_owed);
}

void uring_sleeps::cancel_request_or_owe(std::uint64_t id, uring::request target,
                                         bool& owed) noexcept
{
    if (submit_cancel(id, target)) {
        settle_owed(owed);
        return;
    }
    // The kernel refused the cancel for now (ENOMEM, EAGAIN, a CQ backlog):
    // a sleep without a deadline would never end, so the cancel is owed and
    // tried again from the context (and after every reap) until it goes in.
    if (!owed) {
        owed = true;
        ++cancels_owed_;
    }
    owe_retry();
}

void uring_sleeps::settle_owed(bool& owed) noexcept
{
    if (owed) {
        owed = false;
        --cancels_owed_;
    }
}

void uring_sleeps::owe_retry() noexcept
{
    if (retry_posted_)
        return;
    try {
        boost::asio::post(ctx_, [weak = weak_from_this()] {
            if (const auto self = weak.lock()) {
                const std::lock_guard lock(self->mutex_);
                self->retry_posted_ = false;
                self->submit_owed_cancels();
            }
        });
        retry_posted_ = true;
    } catch (...) {
        // No memory for the post: the next reap tries again.
    }
}

void uring_sleeps::submit_owed_cancels() noexcept
{
    if (cancels_owed_ == 0 || closed_)
        return;
    for (auto& [id, e] : entries_) {
        // A request that ended meanwhile has nothing left to cancel.
        if (e.cancel_owed) {
            if (e.futex_in_flight)
                cancel_or_owe(id, e);
            else
                settle_owed(e.cancel_owed);
        }
        if (e.poll_cancel_owed) {
            if (e.poll_in_flight)
                cancel_poll_or_owe(id, e);
            else
                settle_owed(e.poll_cancel_owed);
        }
    }
}

void uring_sleeps::cancel(std::uint64_t id) noexcept
{
    const std::lock_guard lock(mutex_);
    const auto it = entries_.find(id);
    if (closed_ || it == entries_.end() || it->second.finished || it->second.cancelled)
        return;
    it->second.cancelled = true;
    // Without a futex wait in flight a submit_from_context is on its way,
    // and it sees `cancelled`.
    if (it->second.futex_in_flight)
        cancel_or_owe(id, it->second);
}

void uring_sleeps::submit_from_context(std::uint64_t id)
{
    std::vector<uring_completion> out;
    {
        const std::lock_guard lock(mutex_);
        const auto it = entries_.find(id);
        if (closed_ || it == entries_.end() || it->second.finished || it->second.futex_in_flight)
            return;
        entry& e = it->second;
        if (!e.cancelled && !e.poll_fired) {
            e.registration = waiter_registration(e.sem);
            if (submit_sleep(id, e))
                return;
            e.registration.reset();
        }
        // Cancelled before it was submitted, its watch fired, or the kernel
        // took nothing: the sleep ends as a wait that found no token, or
        // took one.
        finish(it, take_token(e.sem), out);
        disarm_if_idle();
    }
    deliver(out);
}

} // namespace zerobuffer::asio::detail
