// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DUPLEX_SRC_SERVER_IMPL_HPP
#define ZEROBUFFER_DUPLEX_SRC_SERVER_IMPL_HPP

// The state behind a `duplex::server`: the request reader, the thread that
// reads requests, the client session, and where handlers run.

#include "response_slot.hpp"
#include "server_stats.hpp"
#include "session.hpp"

#include <zerobuffer/duplex/pending_request.hpp>
#include <zerobuffer/duplex/processing.hpp>
#include <zerobuffer/duplex/server.hpp>
#include <zerobuffer/reader.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>

namespace zerobuffer::duplex::detail {

using deferred_function = std::function<void(pending_request)>;

class server_impl {
public:
    server_impl(std::string name, const server_options& options);
    ~server_impl() { stop(); }
    server_impl(const server_impl&) = delete;
    server_impl& operator=(const server_impl&) = delete;

    /// Exactly one of `handler` and `deferred` is set.
    void start(handler_function handler, deferred_function deferred, const processing& strategy);
    void stop() noexcept;
    bool is_running() const noexcept { return running_.load(std::memory_order_acquire); }
    bool is_client_connected() const;
    server_counters counters() const noexcept { return stats_.snapshot(); }
    const std::string& name() const noexcept { return name_; }

private:
    /// The receiving thread: reads requests until stopped, one client
    /// session after another.
    void receive(const std::stop_token& stop);
    /// Answers one request: inline (single thread) or on the executor.
    void serve(frame req);
    /// Hands one request to the deferred handler, inline or on the executor.
    void serve_deferred(frame req);
    /// A new client (a new writer session of the request buffer): attaches
    /// to its response buffer (a stop ends the attempts).
    void begin_session(const std::stop_token& stop);
    /// Waits for the session's responses, then drops its writer.
    void end_session();
    /// Replaces an unusable request buffer, retrying until it can or the
    /// server stops.
    void renew_request_buffer(const std::stop_token& stop);
    /// What start() set up, undone.
    void release() noexcept;

    std::string name_;
    server_options options_;
    server_stats stats_;
    std::optional<reader> requests_;
    handler_function handler_;
    deferred_function deferred_;
    processing strategy_ = processing::single_thread();
    std::unique_ptr<boost::asio::thread_pool> pool_;
    std::optional<boost::asio::any_io_executor> executor_;
    std::shared_ptr<session> session_; // the receiving thread's
    std::uint64_t session_number_ = 0; // the request reader's writer session it serves
    mutable std::mutex observed_mutex_;
    std::shared_ptr<session> observed_session_; // session_, for observers
    std::atomic<bool> running_{false};
    std::atomic<bool> stopping_{false};
    std::jthread receiver_;
};

} // namespace zerobuffer::duplex::detail

#endif // ZEROBUFFER_DUPLEX_SRC_SERVER_IMPL_HPP
