// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "server_impl.hpp"

#include "pending_state.hpp"

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
    requests_.emplace(request_buffer_name(name_), options_.request);
    handler_ = std::move(handler);
    deferred_ = std::move(deferred);
    strategy_ = strategy;
    if (deferred_ && strategy.strategy() == processing::kind::single_thread) {
        // Called inline, answered later: the order machinery bounds what is
        // pending.
        strategy_ = processing::single_thread_deferred(deferred_max_pending);
    }
    pool_.reset();
    executor_.reset();
    if (strategy.strategy() == processing::kind::thread_pool) {
        pool_.emplace(strategy.threads());
        executor_ = pool_->get_executor();
    } else if (strategy.strategy() == processing::kind::executor) {
        executor_ = strategy.executor();
    }
    stopping_.store(false, std::memory_order_release);
    running_.store(true, std::memory_order_release);
    receiver_ = std::jthread([this](const std::stop_token& stop) { receive(stop); });
}

void server_impl::stop() noexcept
{
    if (!receiver_.joinable()) {
        return;
    }
    stopping_.store(true, std::memory_order_release);
    receiver_.request_stop();
    receiver_.join();
    if (pool_) {
        pool_->join();
        pool_.reset();
    }
    executor_.reset();
    requests_.reset(); // removes the request buffer
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

void server_impl::begin_session()
{
    session_number_ = requests_->writer_sessions();
    auto fresh = std::make_shared<session>(response_buffer_name(name_), options_, stopping_, stats_,
                                           strategy_.max_in_flight());
    fresh->channel.attach();
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
        // never found): its requests are dropped until it leaves.
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
    boost::asio::post(*executor_,
                      [s = session_, index, &handler = handler_, req = std::move(req)]() mutable {
                          {
                              response_slot slot(*s, req.sequence(), index);
                              slot.run(handler, request(req.bytes(), req.sequence()));
                          }
                          req.release(); // its room goes back to the client before others commit
                          s->drain();
                          s->task_done();
                      });
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
        if (ec) {
            // The client left (writer_disconnected, writer_dead), or broke the
            // sequence (its session cannot be answered in step any more):
            // finish its responses and wait for the next client.
            end_session();
            continue;
        }
        if (!req) {
            continue;
        }
        if (!session_ || requests_->writer_sessions() != session_number_) {
            end_session();
            begin_session();
        }
        serve(std::move(req));
    }
    end_session();
}

} // namespace zerobuffer::duplex::detail
