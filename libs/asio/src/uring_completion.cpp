// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// What comes out of the CQ of uring_sleeps: the reactor wait on the ring's
// fd, the reaping of CQEs on the io_context's thread, the end (or the
// resubmission) of a sleep, and the close.

#include "uring_sleeps.hpp"

#include <boost/asio/post.hpp>

#include <cerrno>
#include <exception>
#include <iterator>
#include <utility>

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace zerobuffer::asio::detail {
namespace {

/// Wakes one waiter of the semaphore's futex, as sem_post would.
void wake_one(sem_t* sem) noexcept
{
    const glibc_semaphore s(sem);
    const int op = FUTEX_WAKE | (s.is_private() ? FUTEX_PRIVATE_FLAG : 0);
    ::syscall(SYS_futex, s.futex_word(), op, 1, nullptr, nullptr, 0);
}

} // namespace

void uring_sleeps::arm_wait()
{
    if (wait_armed_)
        return;
    const std::uint64_t generation = wait_generation_ + 1;
    descriptor_.async_wait(boost::asio::posix::descriptor_base::wait_read,
                           [weak = weak_from_this(), generation](const boost::system::error_code&) {
                               // Aborted or not: on_ready reaps, then decides
                               // from the entries.
                               if (const auto self = weak.lock())
                                   self->on_ready(generation);
                           });
    // Only once the wait is there (async_wait may throw bad_alloc).
    wait_generation_ = generation;
    wait_armed_ = true;
}

void uring_sleeps::disarm_if_idle() noexcept
{
    if (entries_.empty() && wait_armed_) {
        // Nothing pending: let the context run out of work.
        boost::system::error_code ignored;
        descriptor_.cancel(ignored);
        wait_armed_ = false;
    }
}

void uring_sleeps::on_ready(std::uint64_t generation)
{
    std::vector<uring_completion> out;
    std::exception_ptr failure;
    {
        const std::lock_guard lock(mutex_);
        // A wait cancelled by disarm_if_idle may report after a newer one was
        // armed: only the current one's report means "no wait armed".
        if (generation == wait_generation_)
            wait_armed_ = false;
        if (closed_)
            return;
        reap(out);
        submit_owed_cancels();
        try {
            if (!entries_.empty() && !wait_armed_) {
                // Armed, then reaped again: a CQE posted between the reap
                // above and the arming raised its edge before the wait
                // existed.
                arm_wait();
                reap(out);
            }
        } catch (...) {
            failure = std::current_exception(); // after the callbacks are called
        }
        disarm_if_idle();
    }
    deliver(out);
    if (failure)
        std::rethrow_exception(failure);
}

void uring_sleeps::reap(std::vector<uring_completion>& out)
{
    io_uring_cqe cqe{};
    while (ring_.pop_cqe(cqe)) {
        const std::uint64_t id = cqe.user_data >> uring::request_bits;
        const auto request = static_cast<uring::request>(cqe.user_data & uring::request_mask);
        if (request == uring::request::futex) {
            on_futex_cqe(id, cqe.res, out);
        } else if (request == uring::request::poll) {
            on_poll_cqe(id, cqe.res);
        } else if (request == uring::request::timeout || request == uring::request::poll_timeout) {
            const auto it = entries_.find(id);
            if (it != entries_.end() && it->second.cqes_due != 0 && --it->second.cqes_due == 0 &&
                it->second.finished)
                entries_.erase(it);
        }
        // request::cancel: the outcome shows on the futex CQE. Anything else
        // (no request of ours has it) is ignored.
    }
}

void uring_sleeps::on_futex_cqe(std::uint64_t id, std::int32_t res,
                                std::vector<uring_completion>& out)
{
    const auto it = entries_.find(id);
    // A futex CQE for a sleep with no futex wait in flight is not one of
    // ours: the counts below would go wrong, so it is ignored.
    if (it == entries_.end() || !it->second.futex_in_flight || it->second.cqes_due == 0)
        return;
    entry& e = it->second;
    --e.cqes_due;
    e.futex_in_flight = false;
    settle_owed(e.cancel_owed); // nothing left to cancel

    e.registration.reset();
    // Taken whatever ended the wait, a cancel included: a wake-up this wait
    // took from a post must not strand the post's token (the operation gets
    // it, and keeps it for its next read, as `taken` says).
    const bool taken = take_token(e.sem);
    // res 0: woken; -EAGAIN: the value was not 0; -ECANCELED: cancelled (by
    // the linked timeout at the deadline, by cancel(), or by the kernel on
    // its own); -EINTR. When no token came of it, the deadline has not
    // passed and nobody asked to cancel, the sleep is not over: wait again
    // (a sleep ends with a token, at the deadline or at cancel()). Any other
    // error ends the sleep.
    // A fired watch ends the sleep as cancel() does.
    const bool retry_worthy = res == 0 || res == -EAGAIN || res == -ECANCELED || res == -EINTR;
    if (!taken && retry_worthy && !e.cancelled && !e.poll_fired && clock_type::now() < e.deadline) {
        e.registration = waiter_registration(e.sem);
        if (submit_sleep(id, e))
            return;
        e.registration.reset();
    }
    finish(it, taken, out);
}

void uring_sleeps::on_poll_cqe(std::uint64_t id, std::int32_t res)
{
    const auto it = entries_.find(id);
    if (it == entries_.end() || !it->second.poll_in_flight || it->second.cqes_due == 0)
        return; // not one of ours
    entry& e = it->second;
    --e.cqes_due;
    e.poll_in_flight = false;
    settle_owed(e.poll_cancel_owed);
    if (e.finished || e.poll_abandoned) {
        // Cancelled after the sleep ended (or at its deadline), or given up.
        if (e.finished && e.cqes_due == 0)
            entries_.erase(it);
        return;
    }
    if (res < 0 && res != -ECANCELED) {
        // The descriptor cannot be polled (EBADF, EINVAL, ENOMEM, ...): the
        // sleep goes on unwatched, its deadline back to its slice's (a
        // futex wait in flight is cancelled and submitted again with it).
        // Polling again would fail again: the next sleep watches anew.
        abandon_watch(id, e);
        if (e.futex_in_flight)
            cancel_or_owe(id, e);
        return;
    }
    // Readable, or ended by its timeout (or the kernel): the sleep ends now
    // and the wait looks.
    e.poll_fired = true;
    if (e.futex_in_flight)
        cancel_or_owe(id, e); // its CQE finishes the sleep
    // Else a submit_from_context is on its way, and it sees poll_fired.
}

void uring_sleeps::finish(std::unordered_map<std::uint64_t, entry>::iterator it, bool taken,
                          std::vector<uring_completion>& out)
{
    entry& e = it->second;
    e.finished = true;
    out.push_back({std::move(e.done), taken});
    e.done = nullptr;
    if (e.poll_in_flight)
        cancel_poll_or_owe(it->first, e); // its CQE is reaped before the entry goes
    if (e.cqes_due == 0)
        entries_.erase(it);
}

void uring_sleeps::deliver(std::vector<uring_completion>& out)
{
    for (std::size_t i = 0; i < out.size(); ++i) {
        try {
            std::exchange(out[i].done, nullptr)(out[i].taken);
        } catch (...) {
            // Each callback is called exactly once: the rest go through the
            // context, and the exception out of its run().
            std::vector<uring_completion> rest(
                std::make_move_iterator(out.begin() + static_cast<std::ptrdiff_t>(i) + 1),
                std::make_move_iterator(out.end()));
            if (!rest.empty())
                boost::asio::post(ctx_,
                                  [weak = weak_from_this(), rest = std::move(rest)]() mutable {
                                      if (const auto self = weak.lock())
                                          self->deliver(rest);
                                  });
            throw;
        }
    }
}

void uring_sleeps::close() noexcept
{
    std::unordered_map<std::uint64_t, entry> dropped;
    {
        const std::lock_guard lock(mutex_);
        if (closed_)
            return;
        closed_ = true;
        // Unqueue our futex waits now. Closing the fd does not: the mappings
        // keep the ring alive until this object goes, and a wait still queued
        // (counted out below) would take the wake-up of a post that a
        // sem_wait elsewhere needs.
        ring_.cancel_all_now();
        dropped.swap(entries_);
        // Cancels the reactor wait (its handler, if it still runs, sees
        // closed_) and closes the ring fd.
        boost::system::error_code ignored;
        descriptor_.close(ignored);
        ring_.forget_fd();
        wait_armed_ = false;
        cancels_owed_ = 0;
    }
    for (auto& [id, e] : dropped) {
        (void)id;
        e.registration.reset();
        // A wake-up a wait took just before it was unqueued is passed on when
        // its token is still there (a wake too many costs only a look).
        if (e.futex_in_flight && glibc_semaphore(e.sem).value() != 0)
            wake_one(e.sem);
    }
    // Each entry's callback goes uncalled (after the semaphore it may own was
    // last touched above).
    dropped.clear();
}

} // namespace zerobuffer::asio::detail
