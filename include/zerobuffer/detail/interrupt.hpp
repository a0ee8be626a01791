// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DETAIL_INTERRUPT_HPP
#define ZEROBUFFER_DETAIL_INTERRUPT_HPP

/// @file
/// Ending a side's waits from another thread: `close()` on the object, or a
/// stop request for one call. A spinning wait sees the request at its next
/// peer check (every few dozen polls); a sleeping one is woken by a token
/// posted to the semaphore it sleeps on. Only this side waits on that
/// semaphore, so such a token wakes no peer; the side counts the tokens
/// posted and takes them back with the tokens it owes, so its bookkeeping
/// stays exact.

#include <zerobuffer/detail/semaphore.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <stop_token>
#include <thread>
#include <utility>

namespace zerobuffer::detail {

/// What ends one call's wait from outside: its object closing, or the call's
/// own stop request. The flags are sequentially consistent: a waiter marks
/// itself asleep, then looks at the flags; an interrupter sets a flag, then
/// looks whether the waiter sleeps. One of them sees the other, so no sleeper
/// is missed.
class wait_interrupt {
public:
    explicit wait_interrupt(const std::atomic<bool>& closing) noexcept : closing_(&closing) {}
    wait_interrupt(const wait_interrupt&) = delete;
    wait_interrupt& operator=(const wait_interrupt&) = delete;

    bool requested() const noexcept
    {
        return stopped_.load(std::memory_order_seq_cst) ||
               closing_->load(std::memory_order_seq_cst);
    }
    /// Marks this call's wait stopped (the caller then wakes it).
    void request() noexcept { stopped_.store(true, std::memory_order_seq_cst); }
    /// Whether `request()` was called (the object's close is not counted).
    bool stop_requested() const noexcept { return stopped_.load(std::memory_order_seq_cst); }

private:
    friend class sleepers;

    const std::atomic<bool>* closing_;
    std::atomic<bool> stopped_{false};
    std::atomic<bool> asleep_{false};
};

/// The waits of one side asleep on its semaphore, and how to wake them.
///
/// A token posted to wake a sleeper is not addressed to it: another read of
/// the same object, woken for nothing and going back to sleep, may take it
/// first. So the waker posts, gives the sleeper a moment to leave, and posts
/// again while it still sleeps (a bounded number of times: past that, the
/// sleeper's slice ends it). Every token posted is counted for the owner,
/// which takes the extra ones back with the tokens it owes.
class sleepers {
public:
    /// Runs `sleep()` (a wait on the semaphore, returning whether it took a
    /// token) unless `interrupt` was requested; counted while it runs.
    template <class Sleep>
    bool sleep(wait_interrupt& interrupt, Sleep&& sleep)
    {
        const bool taken = begin_sleep(interrupt) && std::forward<Sleep>(sleep)();
        end_sleep(interrupt);
        return taken;
    }

    /// The same in two steps, for a driver that sleeps its own way: counts
    /// the wait of `interrupt` as asleep and returns false when it was
    /// interrupted already (then it must not sleep). `end_sleep` follows in
    /// both cases.
    bool begin_sleep(wait_interrupt& interrupt) noexcept
    {
        count_.fetch_add(1, std::memory_order_seq_cst);
        interrupt.asleep_.store(true, std::memory_order_seq_cst);
        return !interrupt.requested();
    }
    void end_sleep(wait_interrupt& interrupt) noexcept
    {
        interrupt.asleep_.store(false, std::memory_order_seq_cst);
        count_.fetch_sub(1, std::memory_order_seq_cst);
    }

    /// Wakes the wait of `interrupt` (whose flag is set) if it sleeps,
    /// posting up to `rounds` times. Returns the tokens posted to `sem`.
    std::uint64_t wake(const wait_interrupt& interrupt, semaphore& sem, int rounds = 100) noexcept
    {
        return post_while(sem, rounds, [&] {
            return interrupt.asleep_.load(std::memory_order_seq_cst) ? 1U : 0U;
        });
    }

    /// Posts one token if any wait sleeps (one more look for it, nothing
    /// ended). Returns the tokens posted.
    std::uint64_t nudge(semaphore& sem) noexcept
    {
        if (count_.load(std::memory_order_seq_cst) == 0) {
            return 0;
        }
        boost::system::error_code ec;
        sem.post(ec);
        return ec ? 0 : 1;
    }

    /// Wakes every sleeper (the object's closing flag is set, so none goes
    /// back to sleep). Returns the tokens posted to `sem`.
    std::uint64_t wake_all(semaphore& sem) noexcept
    {
        return post_while(sem, 100, [&] { return count_.load(std::memory_order_seq_cst); });
    }

private:
    /// Posts `asleep()` tokens, waits up to a millisecond for the sleepers to
    /// leave, and posts again while some still sleep; at most `rounds` rounds
    /// (no wait after the last).
    template <class Asleep>
    static std::uint64_t post_while(semaphore& sem, int rounds, Asleep asleep) noexcept
    {
        std::uint64_t posted = 0;
        for (int round = 0; round < rounds; ++round) {
            std::uint32_t n = asleep();
            if (n == 0) {
                break;
            }
            for (; n > 0; --n) {
                boost::system::error_code ec;
                sem.post(ec);
                posted += ec ? 0U : 1U;
            }
            if (round + 1 == rounds) {
                break;
            }
            const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(1);
            while (asleep() != 0 && std::chrono::steady_clock::now() < until) {
                std::this_thread::yield();
            }
        }
        return posted;
    }

    std::atomic<std::uint32_t> count_{0};
};

/// Runs `on_stop` if `token` is stopped while this object lives (at once, in
/// the constructor, if it already is). Nothing is registered for a token that
/// can never be stopped. The destructor waits for a callback running on
/// another thread, so `on_stop` must not need anything the owner holds then.
template <class OnStop>
class stop_hook {
public:
    stop_hook(const std::stop_token& token, OnStop on_stop)
        // Initialized in place (no emplace on an empty optional, where GCC 12
        // warns of an uninitialized read that cannot happen).
        : callback_(token.stop_possible() ? callback(std::in_place, token, std::move(on_stop))
                                          : callback())
    {
    }

private:
    using callback = std::optional<std::stop_callback<OnStop>>;
    callback callback_;
};

} // namespace zerobuffer::detail

#endif // ZEROBUFFER_DETAIL_INTERRUPT_HPP
