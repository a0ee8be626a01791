// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DETAIL_SEMAPHORE_HPP
#define ZEROBUFFER_DETAIL_SEMAPHORE_HPP

#include <boost/interprocess/sync/named_semaphore.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <memory>
#include <string>

namespace zerobuffer::detail {

/// A POSIX named semaphore (Boost.Interprocess `named_semaphore`). Thread-safe.
class semaphore {
public:
    semaphore() = default;

    /// Creates `/name` exclusively, value 0, with exactly `mode` (umask ignored).
    static semaphore create(const std::string& name, unsigned mode, boost::system::error_code& ec);
    static semaphore open(const std::string& name, boost::system::error_code& ec);
    /// Unlinks `/name`; false when it did not exist or could not be removed.
    static bool remove(const std::string& name) noexcept;

    /// One token. EOVERFLOW (a count at SEM_VALUE_MAX) is reported in `ec`.
    void post(boost::system::error_code& ec) noexcept;
    /// Takes a token if one is there; never blocks.
    bool try_wait() noexcept;
    /// Waits up to `timeout` for a token.
    bool timed_wait(std::chrono::nanoseconds timeout) noexcept;

    bool is_open() const noexcept { return sem_ != nullptr; }

private:
    std::unique_ptr<boost::interprocess::named_semaphore> sem_;
};

} // namespace zerobuffer::detail

#endif // ZEROBUFFER_DETAIL_SEMAPHORE_HPP
