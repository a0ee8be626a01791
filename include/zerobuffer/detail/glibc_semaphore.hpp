// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DETAIL_GLIBC_SEMAPHORE_HPP
#define ZEROBUFFER_DETAIL_GLIBC_SEMAPHORE_HPP

// The inside of a glibc `sem_t`: the futex the asio layer sleeps on without a
// thread blocked in sem_wait for each (futex_waitv on many at once), and the
// word from which the core takes many tokens in one compare-and-swap.
//
// glibc (2.21 and later, 64-bit) lays a semaphore out as `struct new_sem
// { uint64_t data; int private; int pad; }`: the low 32 bits of `data` are the
// value (the futex word, at offset 0 on a little-endian machine), the high 32
// bits count the waiters. `sem_post` adds 1 to the value and calls futex_wake
// on the word only when the waiter count is not 0, so a sleeper of ours counts
// itself in first (`waiter_registration`), then sleeps while the word is 0,
// and takes its token with `sem_trywait`: glibc's own slow path of sem_wait.
// `private` holds 128 for a process-shared semaphore (every named one) and 0
// for a process-private one: a sleep on a shared one must not carry
// FUTEX_PRIVATE_FLAG, or sem_post's shared wake never reaches it.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <string_view>
#include <utility>

#include <semaphore.h>

/// 1 where this header knows the `sem_t` layout (64-bit glibc 2.21 or later),
/// 0 elsewhere: then nothing below may be used, and the core takes tokens one
/// `sem_trywait` at a time.
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 21)) &&          \
    defined(__LP64__)
#define ZEROBUFFER_GLIBC_SEMAPHORE_LAYOUT 1
static_assert(sizeof(sem_t) == 32, "glibc's 64-bit sem_t is 32 bytes");
#else
#define ZEROBUFFER_GLIBC_SEMAPHORE_LAYOUT 0
#endif

#if ZEROBUFFER_GLIBC_SEMAPHORE_LAYOUT

namespace zerobuffer::detail {

/// Where a glibc semaphore's futex is and how to wait on it.
class glibc_semaphore {
public:
    explicit glibc_semaphore(sem_t* sem) noexcept : sem_(sem) {}

    /// The 32-bit futex word (the value); a sleep waits while it is 0.
    std::uint32_t* futex_word() const noexcept { return reinterpret_cast<std::uint32_t*>(sem_); }

    /// True when the semaphore was made process-private (sem_init with
    /// pshared 0): its futex operations carry the private flag.
    bool is_private() const noexcept
    {
        // glibc stores FUTEX_PRIVATE_FLAG (128) in the int after `data` for a
        // process-shared semaphore (every named one) and 0 for a private one:
        // its futex calls XOR the flag with this field.
        const int flag = reinterpret_cast<const int*>(sem_)[2];
        return flag == 0;
    }

    /// The value now (what sem_getvalue reports).
    std::uint32_t value() const noexcept
    {
        return std::atomic_ref<std::uint32_t>(*futex_word()).load(std::memory_order_acquire);
    }

    /// Counts a waiter in (+1 in the high half of `data`): from now on every
    /// sem_post wakes the futex.
    void add_waiter() const noexcept { data().fetch_add(waiter_one, std::memory_order_relaxed); }
    /// Counts a waiter out again.
    void remove_waiter() const noexcept { data().fetch_sub(waiter_one, std::memory_order_relaxed); }

    /// Takes up to `max` tokens in one compare-and-swap (retried while other
    /// processes post or take meanwhile): what `max` sem_trywait calls would
    /// take, with one transfer of the semaphore's cache line instead of
    /// `max`. Acquire, as sem_trywait's. Returns how many it took.
    std::uint32_t try_take(std::uint32_t max) const noexcept
    {
        std::uint64_t d = data().load(std::memory_order_relaxed);
        for (;;) {
            const auto value = static_cast<std::uint32_t>(d & value_mask);
            const std::uint32_t take = std::min(value, max);
            if (take == 0)
                return 0;
            if (data().compare_exchange_weak(d, d - take, std::memory_order_acquire,
                                             std::memory_order_relaxed))
                return take;
        }
    }

    sem_t* native() const noexcept { return sem_; }

private:
    static constexpr std::uint64_t waiter_one = std::uint64_t{1} << 32;
    static constexpr std::uint64_t value_mask = waiter_one - 1;

    std::atomic_ref<std::uint64_t> data() const noexcept
    {
        return std::atomic_ref<std::uint64_t>(*reinterpret_cast<std::uint64_t*>(sem_));
    }

    sem_t* sem_;
};

/// Checks, on two semaphores of this process, that the glibc it runs on lays
/// `sem_t` out as this header reads it (the header only checks the glibc it
/// was built against): the futex word follows sem_post and sem_trywait as
/// sem_getvalue does, a waiter counted in does not change the value, a bulk
/// take takes what is there, and the private field tells a shared semaphore
/// from a private one. Empty when all hold, else what did not.
inline std::string_view semaphore_layout_mismatch() noexcept
{
    const auto check = [](int pshared) -> std::string_view {
        sem_t sem;
        if (::sem_init(&sem, pshared, 0) != 0)
            return "sem_init failed";
        const glibc_semaphore g(&sem);
        std::string_view what;
        int value = -1;
        if (g.is_private() != (pshared == 0))
            what = "the private field does not say whether the semaphore is shared";
        else if (g.value() != 0)
            what = "the futex word of a new semaphore is not 0";
        else if (::sem_post(&sem) != 0 || ::sem_getvalue(&sem, &value) != 0 || value != 1 ||
                 g.value() != 1)
            what = "the futex word does not follow sem_post";
        else {
            g.add_waiter();
            if (::sem_getvalue(&sem, &value) != 0 || value != 1 || g.value() != 1)
                what = "counting a waiter in changes the value";
            g.remove_waiter();
            if (what.empty() && (::sem_trywait(&sem) != 0 || g.value() != 0))
                what = "the futex word does not follow sem_trywait";
            if (what.empty() &&
                (::sem_post(&sem) != 0 || ::sem_post(&sem) != 0 || g.try_take(5) != 2 ||
                 ::sem_getvalue(&sem, &value) != 0 || value != 0))
                what = "a bulk take does not take what sem_getvalue counts";
        }
        ::sem_destroy(&sem);
        return what;
    };
    const std::string_view shared = check(1);
    return shared.empty() ? check(0) : shared;
}

/// A waiter counted in for its lifetime (see `glibc_semaphore::add_waiter`).
class waiter_registration {
public:
    waiter_registration() noexcept = default;
    explicit waiter_registration(sem_t* sem) noexcept : sem_(sem)
    {
        glibc_semaphore(sem_).add_waiter();
    }
    waiter_registration(const waiter_registration&) = delete;
    waiter_registration& operator=(const waiter_registration&) = delete;
    waiter_registration(waiter_registration&& other) noexcept
        : sem_(std::exchange(other.sem_, nullptr))
    {
    }
    waiter_registration& operator=(waiter_registration&& other) noexcept
    {
        if (this != &other) {
            reset();
            sem_ = std::exchange(other.sem_, nullptr);
        }
        return *this;
    }
    ~waiter_registration() { reset(); }

    void reset() noexcept
    {
        if (sem_ != nullptr)
            glibc_semaphore(std::exchange(sem_, nullptr)).remove_waiter();
    }

private:
    sem_t* sem_ = nullptr;
};

/// `semaphore_layout_mismatch()` of this process, computed once.
inline std::string_view semaphore_layout_mismatch_once() noexcept
{
    static const std::string_view mismatch = semaphore_layout_mismatch();
    return mismatch;
}

inline bool semaphore_layout_as_expected() noexcept
{
    return semaphore_layout_mismatch_once().empty();
}

} // namespace zerobuffer::detail

#endif // ZEROBUFFER_GLIBC_SEMAPHORE_LAYOUT

#endif // ZEROBUFFER_DETAIL_GLIBC_SEMAPHORE_HPP
