// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_ASIO_SRC_GLIBC_SEMAPHORE_HPP
#define ZEROBUFFER_ASIO_SRC_GLIBC_SEMAPHORE_HPP

// Both wait backends of the asio layer sleep on the futex inside glibc's
// sem_t (zerobuffer/detail/glibc_semaphore.hpp): without that layout there is
// no asio layer.

#include <zerobuffer/detail/glibc_semaphore.hpp>

#if !ZEROBUFFER_GLIBC_SEMAPHORE_LAYOUT
#error                                                                                             \
    "zerobuffer::asio sleeps on the futex of a glibc sem_t: 64-bit glibc 2.21 or later is required"
#endif

namespace zerobuffer::asio::detail {
using zerobuffer::detail::glibc_semaphore;
using zerobuffer::detail::semaphore_layout_mismatch;
using zerobuffer::detail::semaphore_layout_mismatch_once;
using zerobuffer::detail::waiter_registration;
} // namespace zerobuffer::asio::detail

#endif // ZEROBUFFER_ASIO_SRC_GLIBC_SEMAPHORE_HPP
