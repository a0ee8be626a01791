// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TEST_SUPPORT_ASIO_HPP
#define ZEROBUFFER_TEST_SUPPORT_ASIO_HPP

// Helpers of the asio suites.

#include <boost/asio/io_context.hpp>

#include <chrono>

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

} // namespace zerobuffer::test

#endif // ZEROBUFFER_TEST_SUPPORT_ASIO_HPP
