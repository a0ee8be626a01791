// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_ASIO_DETAIL_OPERATION_REGISTRY_HPP
#define ZEROBUFFER_ASIO_DETAIL_OPERATION_REGISTRY_HPP

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <vector>

namespace zerobuffer::asio::detail {

/// An operation that `cancel()` on its I/O object (or its destruction) can end.
class cancellable {
public:
    virtual ~cancellable() = default;
    /// Ends the operation soon with `operation_aborted` (unless it already has
    /// its result). Any thread; idempotent.
    virtual void cancel() noexcept = 0;
};

/// The pending operations of one I/O object, for `cancel()` and destruction.
/// Thread safety: every member from any thread.
class operation_registry {
public:
    using handle = std::list<std::weak_ptr<cancellable>>::iterator;

    handle add(std::weak_ptr<cancellable> op)
    {
        const std::lock_guard lock(mutex_);
        return ops_.insert(ops_.end(), std::move(op));
    }

    void remove(handle h) noexcept
    {
        const std::lock_guard lock(mutex_);
        ops_.erase(h);
    }

    /// How many `cancel_all` calls there were: an operation that was not
    /// registered yet when one happened (it was looking on its initiating
    /// thread) compares before and after it registers, and cancels itself.
    std::uint64_t cancels() const noexcept { return cancels_.load(std::memory_order_acquire); }

    /// Cancels every operation registered now. The cancels run outside the
    /// lock: an operation that completes meanwhile removes itself.
    void cancel_all() noexcept
    {
        std::vector<std::shared_ptr<cancellable>> live;
        {
            const std::lock_guard lock(mutex_);
            cancels_.fetch_add(1, std::memory_order_acq_rel);
            live.reserve(ops_.size());
            for (const auto& op : ops_)
                if (auto p = op.lock())
                    live.push_back(std::move(p));
        }
        for (const auto& op : live)
            op->cancel();
    }

private:
    std::mutex mutex_;
    std::list<std::weak_ptr<cancellable>> ops_;
    std::atomic<std::uint64_t> cancels_{0};
};

} // namespace zerobuffer::asio::detail

#endif // ZEROBUFFER_ASIO_DETAIL_OPERATION_REGISTRY_HPP
