// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DUPLEX_SRC_CLIENT_IMPL_HPP
#define ZEROBUFFER_DUPLEX_SRC_CLIENT_IMPL_HPP

// The state behind a `duplex::client`: its two endpoints, the sending side's
// lock, and the responses read by one thread for another (`request`).

#include <zerobuffer/duplex/client.hpp>
#include <zerobuffer/reader.hpp>
#include <zerobuffer/writer.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <thread>

namespace zerobuffer::duplex::detail {

class client_impl {
public:
    client_impl(std::string name, const client_options& options);

    std::uint64_t send(std::span<const std::byte> data, boost::system::error_code& ec);
    /// 0 (no error) when the request ring has no room now.
    std::uint64_t try_send(std::span<const std::byte> data, boost::system::error_code& ec);
    std::span<std::byte> get_request_buffer(std::size_t size, boost::system::error_code& ec);
    std::uint64_t commit_request(boost::system::error_code& ec);
    void abandon_request() noexcept;
    /// The next response in order; `handler_failed` for an error response
    /// (the frame is returned with it).
    frame receive(std::chrono::nanoseconds timeout, boost::system::error_code& ec);
    /// Sends and waits for the response of that request (see client.hpp).
    frame request(std::span<const std::byte> data, std::chrono::nanoseconds timeout,
                  boost::system::error_code& ec);
    bool server_connected() const { return requests_.is_open() && requests_.is_reader_connected(); }
    void close() noexcept;
    bool is_open() const noexcept { return requests_.is_open(); }
    const std::string& name() const noexcept { return name_; }
    std::uint64_t requests_sent() const noexcept { return sent_.load(std::memory_order_relaxed); }

private:
    using clock = std::chrono::steady_clock;

    /// Reads the next response until `deadline`, in slices of the liveness
    /// interval, looking at the server between them; the writer's errors as
    /// the server's (`server_dead`, `server_stopped`).
    frame read_response(clock::time_point deadline, boost::system::error_code& ec);
    /// Waits for the response `sequence` as `request` does.
    frame await_response(std::uint64_t sequence, clock::time_point deadline,
                         boost::system::error_code& ec);
    /// The response of `sequence`, if some thread has read it (caller holds
    /// `match_mutex_`).
    frame take_arrived(std::uint64_t sequence);

    std::string name_;
    std::chrono::nanoseconds liveness_interval_;
    reader responses_; // created first: the server finds it at the first request
    writer requests_;
    std::atomic<std::uint64_t> sent_{0};

    /// Whether the calling thread holds a zero-copy reservation.
    bool holds_zero_copy() const;
    /// The sending side's lock, when the calling thread holds it for a
    /// reservation (else an empty lock); the reservation is then no longer
    /// held.
    std::unique_lock<std::mutex> take_zero_copy_lock();

    std::mutex send_mutex_;
    // The sending side's lock while a thread holds a zero-copy reservation
    // (from get_request_buffer to commit_request or abandon_request), and
    // that thread; both guarded by zero_copy_mutex_.
    mutable std::mutex zero_copy_mutex_;
    std::unique_lock<std::mutex> zero_copy_send_;
    std::thread::id zero_copy_owner_;

    std::mutex match_mutex_;
    std::condition_variable match_changed_;
    bool receiving_ = false;                 // one thread reads for all
    std::map<std::uint64_t, frame> arrived_; // read for a thread that has not taken it
    std::set<std::uint64_t> abandoned_;      // sequences whose waiter gave up
    boost::system::error_code failure_;      // the channel's end, for every waiter
};

} // namespace zerobuffer::duplex::detail

#endif // ZEROBUFFER_DUPLEX_SRC_CLIENT_IMPL_HPP
