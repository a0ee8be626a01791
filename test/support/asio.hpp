// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TEST_SUPPORT_ASIO_HPP
#define ZEROBUFFER_TEST_SUPPORT_ASIO_HPP

// Helpers of the asio suites.

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>

namespace zerobuffer::test {

/// Runs `ctx` until `done()` or 10 s (a hang fails the case instead of CI).
template <class Pred>
bool run_until(boost::asio::io_context& ctx, Pred done)
{
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    ctx.restart();
    while (!done() && std::chrono::steady_clock::now() < give_up)
        ctx.run_for(std::chrono::milliseconds(10));
    return done();
}

/// An allocator that counts what it hands out, to see that an operation
/// allocates through its handler's associated allocator.
template <class T>
struct counting_allocator {
    using value_type = T;

    explicit counting_allocator(std::atomic<std::size_t>& count) noexcept : count_(&count) {}
    template <class U>
    counting_allocator(const counting_allocator<U>& other) noexcept : count_(other.count_)
    {
    }

    T* allocate(std::size_t n)
    {
        count_->fetch_add(1, std::memory_order_relaxed);
        return std::allocator<T>().allocate(n);
    }
    void deallocate(T* p, std::size_t n) noexcept { std::allocator<T>().deallocate(p, n); }

    template <class U>
    bool operator==(const counting_allocator<U>& other) const noexcept
    {
        return count_ == other.count_;
    }

    std::atomic<std::size_t>* count_;
};

} // namespace zerobuffer::test

#endif // ZEROBUFFER_TEST_SUPPORT_ASIO_HPP
