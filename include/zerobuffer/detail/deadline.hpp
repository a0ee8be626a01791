// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DETAIL_DEADLINE_HPP
#define ZEROBUFFER_DETAIL_DEADLINE_HPP

#include <chrono>

namespace zerobuffer::detail {

/// `now + timeout`, saturating instead of overflowing.
inline std::chrono::steady_clock::time_point time_after(std::chrono::steady_clock::time_point now,
                                                        std::chrono::nanoseconds timeout) noexcept
{
    using clock = std::chrono::steady_clock;
    if (timeout <= std::chrono::nanoseconds::zero()) {
        return now;
    }
    if (timeout >= clock::time_point::max() - now) {
        return clock::time_point::max();
    }
    return now + std::chrono::duration_cast<clock::duration>(timeout);
}

/// `now + timeout` on the steady clock, saturating instead of overflowing
/// (a timeout of `nanoseconds::max()` waits forever).
inline std::chrono::steady_clock::time_point deadline_after(std::chrono::nanoseconds timeout)
{
    return time_after(std::chrono::steady_clock::now(), timeout);
}

/// A deadline `timeout` after the moment it is first asked for. A wait that
/// ends within its first few dozen polls never asks, so it never reads the
/// clock (a clock read costs as much as a poll of the peer's line, and in a
/// VM several). Passing one deadline to successive waits keeps it fixed.
class lazy_deadline {
public:
    explicit lazy_deadline(std::chrono::nanoseconds timeout) noexcept : timeout_(timeout) {}

    std::chrono::steady_clock::time_point get() { return get(std::chrono::steady_clock::now()); }

    /// The same, with the time the caller has just read: a zero timeout is
    /// then due at once (a second clock read would land after it).
    std::chrono::steady_clock::time_point get(std::chrono::steady_clock::time_point now) noexcept
    {
        if (!fixed_) {
            deadline_ = time_after(now, timeout_);
            fixed_ = true;
        }
        return deadline_;
    }

    /// Whether a wait has asked for the deadline (and so read the clock).
    bool fixed() const noexcept { return fixed_; }

private:
    std::chrono::nanoseconds timeout_;
    std::chrono::steady_clock::time_point deadline_{};
    bool fixed_ = false;
};

} // namespace zerobuffer::detail

#endif // ZEROBUFFER_DETAIL_DEADLINE_HPP
