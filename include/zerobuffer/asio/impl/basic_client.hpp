// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_ASIO_IMPL_BASIC_CLIENT_HPP
#define ZEROBUFFER_ASIO_IMPL_BASIC_CLIENT_HPP

#include <zerobuffer/asio/detail/client_state.hpp>
#include <zerobuffer/asio/detail/request_op.hpp>
#include <zerobuffer/duplex/channel.hpp>
#include <zerobuffer/error.hpp>

#include <boost/asio/associated_allocator.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>

#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace zerobuffer::asio {

namespace detail {

// The client's request writer: a request waits for room as long as it takes
// (there is no timeout on an asynchronous operation: race it with a timer).
inline writer_options unbounded_writes(writer_options options)
{
    options.write_timeout = std::chrono::nanoseconds::max();
    return options;
}

} // namespace detail

template <class Executor>
struct basic_client<Executor>::state : detail::client_state<Executor> {
    using detail::client_state<Executor>::client_state;
};

template <class Executor>
basic_client<Executor>::basic_client(const executor_type& ex, std::string_view name,
                                     const duplex::client_options& options)
    // Braces: the response buffer is made first (the server finds it at the
    // first request, and a second client fails with reader_already_exists).
    : basic_client{basic_reader<Executor>(ex, duplex::response_buffer_name(name), options.response),
                   basic_writer<Executor>(ex, duplex::request_buffer_name(name),
                                          detail::unbounded_writes(options.request)),
                   options.response.wait.liveness_interval}
{
}

template <class Executor>
basic_client<Executor>::basic_client(basic_reader<Executor>&& responses,
                                     basic_writer<Executor>&& requests,
                                     std::chrono::nanoseconds liveness_interval)
    : executor_(responses.get_executor()),
      state_(std::make_shared<state>(std::move(responses), std::move(requests), liveness_interval))
{
}

template <class Executor>
basic_client<Executor>& basic_client<Executor>::operator=(basic_client&& other) noexcept
{
    if (this != &other) {
        close();
        executor_ = std::move(other.executor_);
        state_ = std::move(other.state_);
    }
    return *this;
}

template <class Executor>
basic_client<Executor>::~basic_client()
{
    close();
}

template <class Executor>
void basic_client<Executor>::cancel() noexcept
{
    if (state_)
        state_->cancel_all(false);
}

template <class Executor>
void basic_client<Executor>::close() noexcept
{
    if (state_)
        state_->cancel_all(true);
}

template <class Executor>
bool basic_client<Executor>::is_open() const noexcept
{
    return state_ != nullptr && state_->is_open();
}

template <class Executor>
bool basic_client<Executor>::is_server_connected() const
{
    return state_ != nullptr && state_->server_connected();
}

template <class Executor>
std::uint64_t basic_client<Executor>::requests_sent() const noexcept
{
    return state_ != nullptr ? state_->requests_sent() : 0;
}

template <class Executor>
template <class CompletionToken>
auto basic_client<Executor>::async_request(std::span<const std::byte> data, CompletionToken&& token)
{
    return boost::asio::async_initiate<CompletionToken, void(boost::system::error_code, frame)>(
        [](auto&& handler, const executor_type& ex, std::shared_ptr<state> s,
           std::span<const std::byte> bytes) {
            using handler_type = std::decay_t<decltype(handler)>;
            using op_type = detail::request_op<handler_type, executor_type>;
            // Not with the handler's allocator: the operation outlives the
            // handler's call when its completion is dispatched inline.
            auto op =
                std::make_shared<op_type>(bytes, std::forward<decltype(handler)>(handler), ex);
            if (!s) {
                op->complete(true, make_error_code(errc::invalid_state), {});
                return;
            }
            if (auto slot = op->slot(); slot.is_connected()) {
                slot.assign(
                    [weak_state = std::weak_ptr<detail::client_state<Executor>>(s),
                     weak_op = std::weak_ptr<op_type>(op)](boost::asio::cancellation_type type) {
                        if (type == boost::asio::cancellation_type::none)
                            return;
                        const auto st = weak_state.lock();
                        const auto o = weak_op.lock();
                        if (st && o)
                            st->cancel(o, type);
                    });
            }
            s->start(op);
        },
        token, executor_, state_, data);
}

namespace detail {

// The second step of async_connect_client: the request writer attached (or
// not); the response reader made in the first step goes with it.
template <class Executor, class Handler>
struct client_connected {
    Handler handler;
    std::optional<basic_reader<Executor>> responses;
    Executor ex;
    std::chrono::nanoseconds liveness_interval;

    void operator()(boost::system::error_code ec, basic_writer<Executor> requests)
    {
        // On the handler's executor already (bound below).
        if (ec) {
            responses.reset(); // removes the response buffer
            std::move(handler)(ec, basic_client<Executor>(ex));
            return;
        }
        basic_client<Executor> c(std::move(*responses), std::move(requests), liveness_interval);
        responses.reset();
        std::move(handler)(ec, std::move(c));
    }
};

} // namespace detail

template <class Executor, class CompletionToken>
auto async_connect_client(const Executor& ex, std::string_view name,
                          const duplex::client_options& options, CompletionToken&& token)
{
    using result_client = basic_client<Executor>;
    return boost::asio::async_initiate<CompletionToken,
                                       void(boost::system::error_code, result_client)>(
        [](auto&& handler, const Executor& io, std::string channel, duplex::client_options o) {
            using handler_type = std::decay_t<decltype(handler)>;
            std::optional<basic_reader<Executor>> responses;
            boost::system::error_code ec;
            try {
                responses.emplace(io, duplex::response_buffer_name(channel), o.response);
            } catch (const boost::system::system_error& e) {
                ec = e.code();
            }
            auto handler_ex = boost::asio::get_associated_executor(handler, io);
            // The handler's allocator goes with it through both steps: the
            // wrappers below would otherwise hide it behind std::allocator.
            auto alloc = boost::asio::get_associated_allocator(handler);
            if (ec) {
                // Never inside the initiating call.
                boost::asio::post(
                    handler_ex,
                    boost::asio::bind_allocator(alloc, [h = std::move(handler), ec, io]() mutable {
                        std::move(h)(ec, result_client(io));
                    }));
                return;
            }
            auto slot = boost::asio::get_associated_cancellation_slot(handler);
            async_connect_writer(
                io, duplex::request_buffer_name(channel), detail::unbounded_writes(o.request),
                boost::asio::bind_allocator(
                    alloc,
                    boost::asio::bind_executor(
                        handler_ex, boost::asio::bind_cancellation_slot(
                                        slot, detail::client_connected<Executor, handler_type>{
                                                  std::move(handler), std::move(responses), io,
                                                  o.response.wait.liveness_interval}))));
        },
        token, ex, std::string(name), options);
}

} // namespace zerobuffer::asio

#endif // ZEROBUFFER_ASIO_IMPL_BASIC_CLIENT_HPP
