// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "server_impl.hpp"

#include "pending_state.hpp"
#include "posted_request.hpp"

#include <zerobuffer/duplex/channel.hpp>
#include <zerobuffer/error.hpp>

#include <boost/asio/post.hpp>

#include <chrono>
#include <utility>

namespace zerobuffer::duplex::detail {

namespace {

// How long one read of requests waits before it looks again: a stop ends it
// at once, so this only bounds how stale a quiet loop may get.
constexpr auto read_slice = std::chrono::seconds(1);

// How many requests a deferred handler under the single-thread strategy may
// have pending at once.
constexpr std::size_t deferred_max_pending = 16;

// How long a server whose request buffer could not be made waits before it
// tries again.
constexpr auto renew_backoff = std::chrono::milliseconds(100);

} // namespace

server_impl::server_impl(std::string name, const server_options& options)
    : name_(std::move(name)), options_(options)
{
}

void server_impl::start(handler_function handler, deferred_function deferred,
                        const processing& strategy)
{
    if (is_running()) {
        throw_error(errc::invalid_state, "duplex::server::start: already running");
    }
    processing effective = strategy;
    if (deferred && strategy.strategy() == processing::kind::single_thread) {
        // Called inline, answered later: the order machinery bounds what is
        // pending.
        effective = processing::single_thread_deferred(deferred_max_pending);
    }
    // Everything that can fail first; nothing of it stays when one fails.
    std::optional<reader> requests;
    requests.emplace(request_buffer_name(name_), options_.request);
    std::unique_ptr<boost::asio::thread_pool> pool;
    std::optional<boost::asio::any_io_executor> executor;
    if (effective.strategy() == processing::kind::thread_pool) {
        pool = std::make_unique<boost::asio::thread_pool>(effective.threads());
        executor = pool->get_executor();
    } else if (effective.strategy() == processing::kind::executor) {
        executor = effective.executor();
    }
    requests_ = std::move(requests);
    pool_ = std::move(pool);
    executor_ = std::move(executor);
    handler_ = std::move(handler);
    deferred_ = std::move(deferred);
    strategy_ = effective;
    stopping_.store(false, std::memory_order_release);
    try {
        receiver_ = std::jthread([this](const std::stop_token& stop) { receive(stop); });
    } catch (...) {
        release();
        throw;
    }
    running_.store(true, std::memory_order_release);
}

void server_impl::release() noexcept
{
    if (pool_) {
        pool_->join();
        pool_.reset();
    }
    executor_.reset();
    requests_.reset(); // removes the request buffer
    handler_ = nullptr;
    deferred_ = nullptr;
}

void server_impl::stop() noexcept
{
    if (!receiver_.joinable()) {
        return;
    }
    stopping_.store(true, std::memory_order_release);
    receiver_.request_stop();
    receiver_.join();
    release();
    running_.store(false, std::memory_order_release);
}

bool server_impl::is_client_connected() const
{
    std::shared_ptr<session> s;
    {
        const std::lock_guard lock(observed_mutex_);
        s = observed_session_;
    }
    return s && s->channel.client_alive();
}

void server_impl::begin_session(const std::stop_token& stop)
{
    session_number_ = requests_->writer_sessions();
    auto fresh = std::make_shared<session>(response_buffer_name(name_), options_, stopping_, stats_,
                                           strategy_.max_in_flight());
    fresh->channel.attach(stop);
    session_ = std::move(fresh);
    const std::lock_guard lock(observed_mutex_);
    observed_session_ = session_;
}

void server_impl::end_session()
{
    if (!session_) {
        return;
    }
    session_->wait_idle();
    session_->channel.close();
    {
        const std::lock_guard lock(observed_mutex_);
        observed_session_.reset();
    }
    session_.reset();
}

void server_impl::serve(frame req)
{
    if (session_->channel.broken()) {
        // The client cannot be answered (its response buffer is gone or was
        // never found, or it broke the sequence): its requests are dropped
        // until it leaves.
        session_->channel.count_dropped();
        return;
    }
    if (deferred_) {
        serve_deferred(std::move(req));
        return;
    }
    if (!executor_) {
        response_slot slot(*session_, req.sequence());
        slot.run(handler_, request(req.bytes(), req.sequence()));
        return;
    }
    const std::uint64_t index = session_->admit();
    // A post that throws destroys the task unrun: it answers its place.
    boost::asio::post(*executor_, posted_request(session_, std::move(req), index, handler_));
}

void server_impl::serve_deferred(frame req)
{
    const std::uint64_t index = session_->admit();
    auto call = [s = session_, index, &deferred = deferred_, req = std::move(req)]() mutable {
        pending_request pending(std::make_unique<pending_state>(s, std::move(req), index));
        try {
            deferred(std::move(pending));
        } catch (...) {
            // A handler that threw before it took the request: answered by
            // the destructor below, with an error response. One that took it
            // answers (or drops) it its own way.
        }
    };
    if (executor_) {
        boost::asio::post(*executor_, std::move(call));
    } else {
        call();
    }
}

void server_impl::receive(const std::stop_token& stop)
{
    while (!stop.stop_requested()) {
        boost::system::error_code ec;
        frame req = requests_->read_frame(read_slice, stop, ec);
        if (ec == operation_aborted_code()) {
            break;
        }
        if (ec == errc::writer_dead || ec == errc::writer_disconnected) {
            // The client left: finish its responses, wait for the next one.
            end_session();
            continue;
        }
        if (ec == errc::sequence_error) {
            // A request went missing: its client can no longer be answered
            // in step. Dropped until it leaves; it sees the server go.
            if (session_) {
                session_->wait_idle();
                session_->channel.drop_client();
            }
            continue;
        }
        if (ec) {
            // The request buffer itself is unusable (corrupted by a client,
            // or a system failure): a fresh one for the next client.
            end_session();
            renew_request_buffer(stop);
            continue;
        }
        if (!req) {
            continue;
        }
        if (!session_ || requests_->writer_sessions() != session_number_) {
            end_session();
            begin_session(stop);
        }
        serve(std::move(req));
    }
    end_session();
}

void server_impl::renew_request_buffer(const std::stop_token& stop)
{
    requests_.reset();
    while (!stop.stop_requested()) {
        try {
            requests_.emplace(request_buffer_name(name_), options_.request);
            server_stats::bump(stats_.request_buffers_renewed);
            return;
        } catch (const std::exception&) {
            std::this_thread::sleep_for(renew_backoff);
        }
    }
    // Stopping, with no request buffer: the receiving loop ends at its test.
}

} // namespace zerobuffer::duplex::detail
