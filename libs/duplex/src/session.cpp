// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "session.hpp"

#include <zerobuffer/error.hpp>

namespace zerobuffer::duplex::detail {

std::uint64_t session::admit()
{
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return order.can_admit(); });
    ++tasks;
    return order.admit();
}

void session::drain() noexcept
{
    for (;;) {
        std::unique_lock lock(mutex);
        auto response = order.take_parked();
        if (!response) {
            return;
        }
        lock.unlock();
        const auto ec = channel.write(*response);
        if (ec == errc::frame_too_large || ec == errc::invalid_frame_size) {
            // Whether it fits depends on where the ring is, known only now:
            // answer in its stead, with the text of a write that finds out
            // at once.
            channel.write_error("response_sink::write: frame too large for the ring");
        }
        lock.lock();
        order.end_commit();
        changed.notify_all();
    }
}

void session::task_done() noexcept
{
    const std::lock_guard lock(mutex);
    --tasks;
    changed.notify_all();
}

void session::wait_idle()
{
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return tasks == 0 && order.idle(); });
}

} // namespace zerobuffer::duplex::detail
