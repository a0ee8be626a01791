// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_ASIO_SRC_FUTEX_SLEEPER_HPP
#define ZEROBUFFER_ASIO_SRC_FUTEX_SLEEPER_HPP

// The futex_waitv backend: helper threads, each sleeping in one futex_waitv
// call on the futex words of up to 127 sleeping operations and on a word of
// its own that start/cancel/shutdown bump to make it look again.

#include "sleeper.hpp"

#include <boost/system/error_code.hpp>

#include <memory>

namespace zerobuffer::asio::detail {

/// Whether this kernel has futex_waitv (Linux 5.16+) and lets us call it.
bool futex_waitv_available(boost::system::error_code& ec) noexcept;

std::unique_ptr<sleeper> make_futex_sleeper();

} // namespace zerobuffer::asio::detail

#endif // ZEROBUFFER_ASIO_SRC_FUTEX_SLEEPER_HPP
