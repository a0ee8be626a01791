// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TEST_SUPPORT_ASIO_HPP
#define ZEROBUFFER_TEST_SUPPORT_ASIO_HPP

// Helpers of the asio suites.

#include <zerobuffer/buffer_config.hpp>
#include <zerobuffer/frame.hpp>
#include <zerobuffer/wait_strategy.hpp>
#include <zerobuffer/writer.hpp>

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

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

/// The bytes of `s`, as a frame's payload.
inline std::vector<std::byte> bytes_of(std::string_view s)
{
    std::vector<std::byte> v(s.size());
    std::memcpy(v.data(), s.data(), s.size());
    return v;
}

/// A frame's payload as text.
inline std::string text_of(const frame& f)
{
    return {reinterpret_cast<const char*>(f.data()), f.size()};
}

/// The buffer of the asio suites: `payload` bytes of ring, `wait`.
inline buffer_config asio_config(wait_strategy wait = wait_strategy::blocking(),
                                 std::size_t payload = 64 * 1024)
{
    buffer_config c;
    c.payload_size = payload;
    c.wait = wait;
    return c;
}

/// A writer of the asio suites, waiting with `wait`.
inline zerobuffer::writer_options
asio_writer_options(wait_strategy wait = wait_strategy::blocking())
{
    zerobuffer::writer_options o;
    o.wait = wait;
    return o;
}

/// Fills `w`'s ring with `chunk`-sized frames (try_write_frame until one
/// does not fit); how many fitted.
inline std::uint64_t fill_ring(zerobuffer::writer& w, const std::vector<std::byte>& chunk)
{
    std::uint64_t fitted = 0;
    while (w.try_write_frame(chunk))
        ++fitted;
    return fitted;
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
