// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_ASIO_IMPL_BASIC_READER_HPP
#define ZEROBUFFER_ASIO_IMPL_BASIC_READER_HPP

#include <zerobuffer/asio/detail/poll_op.hpp>
#include <zerobuffer/asio/detail/wait_op.hpp>
#include <zerobuffer/error.hpp>
#include <zerobuffer/frame_wait.hpp>
#include <zerobuffer/wait_strategy.hpp>

#include <boost/asio/execution/context.hpp>
#include <boost/asio/query.hpp>

#include <chrono>
#include <optional>
#include <tuple>

namespace zerobuffer::asio {

/// What outstanding operations share with their reader: the reader itself
/// (its address stays while a wait drives it), the service, the registry.
template <class Executor>
struct basic_reader<Executor>::state {
    state(zerobuffer::reader&& r, wait_service& s, const wait_strategy& strategy)
        : reader(std::move(r)), service(&s), strategy(detail::async_strategy(strategy))
    {
    }
    zerobuffer::reader reader;
    wait_service* service;
    wait_strategy strategy;
    detail::operation_registry operations;
};

namespace detail {

struct read_frame_finish {
    std::tuple<boost::system::error_code, frame> operator()(frame_wait& wait) const
    {
        boost::system::error_code ec;
        frame f = wait.take_frame(ec);
        if (!ec && !f.valid())
            ec = make_error_code(errc::timed_out); // unbounded waits do not time out
        return {ec, std::move(f)};
    }
};

} // namespace detail

template <class Executor>
basic_reader<Executor>::basic_reader(const executor_type& ex, std::string_view name,
                                     const buffer_config& config)
    : basic_reader(ex, zerobuffer::reader(name, config), config.wait)
{
}

template <class Executor>
basic_reader<Executor>::basic_reader(const executor_type& ex, zerobuffer::reader&& r,
                                     const wait_strategy& strategy)
    : executor_(ex), state_(std::make_shared<state>(std::move(r), detail::service_of(ex), strategy))
{
}

template <class Executor>
basic_reader<Executor>& basic_reader<Executor>::operator=(basic_reader&& other) noexcept
{
    if (this != &other) {
        close();
        executor_ = std::move(other.executor_);
        state_ = std::move(other.state_);
    }
    return *this;
}

template <class Executor>
basic_reader<Executor>::~basic_reader()
{
    close();
}

template <class Executor>
void basic_reader<Executor>::cancel() noexcept
{
    if (state_)
        state_->operations.cancel_all();
}

template <class Executor>
void basic_reader<Executor>::close() noexcept
{
    if (state_) {
        state_->operations.cancel_all();
        state_->reader.close();
    }
}

template <class Executor>
template <class CompletionToken>
auto basic_reader<Executor>::async_read_frame(CompletionToken&& token)
{
    return boost::asio::async_initiate<CompletionToken, void(boost::system::error_code, frame)>(
        [](auto&& handler, const executor_type& ex, std::shared_ptr<state> s) {
            wait_service& service = *s->service;
            detail::operation_registry& registry = s->operations;
            // One look here: a frame that is there costs no wait (no
            // frame_wait, no machine), only the post of its completion.
            boost::system::error_code ec;
            frame ready = s->reader.try_read_frame(ec);
            if (ready.valid() || ec) {
                detail::post_completion(std::forward<decltype(handler)>(handler), ex,
                                        std::tuple{ec, std::move(ready)});
                return;
            }
            frame_wait wait(s->reader, std::chrono::nanoseconds::max(), s->strategy);
            if (s->strategy.kind != wait_kind::spin_then_block) {
                detail::start_wait_op(std::move(wait), detail::read_frame_finish{},
                                      std::forward<decltype(handler)>(handler), ex, service,
                                      registry, std::move(s));
                return;
            }
            // Spin-then-block: the spin runs in a handler on the I/O executor
            // (wait_op::start_posted), so the initiating call never spins
            // and a frame the spin finds completes there with no second post.
            detail::start_posted_wait_op(std::move(wait), detail::read_frame_finish{},
                                         std::forward<decltype(handler)>(handler), ex, service,
                                         registry, std::move(s));
        },
        token, executor_, state_);
}

namespace detail {

// Looks whether a writer is attached (the reader's own check, which also
// notices a writer that died).
template <class State>
struct writer_attached_look {
    std::shared_ptr<State> s;
    std::optional<std::tuple<boost::system::error_code>> operator()() const
    {
        if (!s->reader.is_open())
            return std::tuple{make_error_code(errc::invalid_state)};
        if (s->reader.is_writer_connected())
            return std::tuple{boost::system::error_code{}};
        return std::nullopt;
    }
    std::tuple<boost::system::error_code> aborted() const { return {operation_aborted_code()}; }
};

} // namespace detail

template <class Executor>
template <class CompletionToken>
auto basic_reader<Executor>::async_wait_writer(CompletionToken&& token)
{
    return boost::asio::async_initiate<CompletionToken, void(boost::system::error_code)>(
        [](auto&& handler, const executor_type& ex, std::shared_ptr<state> s) {
            detail::operation_registry& registry = s->operations;
            detail::writer_attached_look<state> look{s}; // before s is moved below
            detail::start_poll_op(std::move(look), std::forward<decltype(handler)>(handler), ex,
                                  registry, std::move(s));
        },
        token, executor_, state_);
}

} // namespace zerobuffer::asio

#endif // ZEROBUFFER_ASIO_IMPL_BASIC_READER_HPP
