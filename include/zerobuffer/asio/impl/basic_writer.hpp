// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_ASIO_IMPL_BASIC_WRITER_HPP
#define ZEROBUFFER_ASIO_IMPL_BASIC_WRITER_HPP

#include <zerobuffer/asio/detail/poll_op.hpp>
#include <zerobuffer/asio/detail/wait_op.hpp>
#include <zerobuffer/asio/impl/basic_reader.hpp>
#include <zerobuffer/error.hpp>
#include <zerobuffer/space_wait.hpp>

#include <boost/asio/post.hpp>

#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <tuple>

namespace zerobuffer::asio {

template <class Executor>
struct basic_writer<Executor>::state {
    state(zerobuffer::writer&& w, wait_service& s, const wait_strategy& strategy)
        : writer(std::move(w)), service(&s), strategy(detail::async_strategy(strategy))
    {
    }
    zerobuffer::writer writer;
    wait_service* service;
    wait_strategy strategy;
    detail::operation_registry operations;
    // One write operation at a time: set while one is outstanding (for a
    // reservation, until its commit or abandon).
    std::atomic<bool> writing{false};
};

namespace detail {

// The tries of start_write: the whole operation when there is room now,
// nullopt when it must wait.
template <class State>
struct write_frame_try {
    std::span<const std::byte> data;
    std::optional<std::tuple<boost::system::error_code>> operator()(State& s) const
    {
        boost::system::error_code ec;
        if (!s.writer.try_write_frame(data, ec) && !ec)
            return std::nullopt;
        s.writing.store(false, std::memory_order_release);
        return std::tuple{ec};
    }
};

template <class State>
struct get_frame_buffer_try {
    std::size_t size;
    std::optional<std::tuple<boost::system::error_code, std::span<std::byte>>>
    operator()(State& s) const
    {
        if (size == 0)
            return std::nullopt; // an empty area would not tell room from none: the wait decides
        boost::system::error_code ec;
        const auto area = s.writer.try_get_frame_buffer(size, ec);
        if (ec) {
            s.writing.store(false, std::memory_order_release);
            return std::tuple{ec, std::span<std::byte>{}};
        }
        if (area.empty())
            return std::nullopt;
        return std::tuple{ec, area}; // writing until its commit or abandon
    }
};

template <class State>
struct write_frame_finish {
    State* s;
    std::span<const std::byte> data;
    std::tuple<boost::system::error_code> operator()(space_wait& wait) const
    {
        boost::system::error_code ec;
        const auto area = wait.take_buffer(ec);
        if (!ec) {
            std::memcpy(area.data(), data.data(), data.size());
            s->writer.commit_frame(ec);
        }
        s->writing.store(false, std::memory_order_release);
        return {ec};
    }
};

template <class State>
struct get_frame_buffer_finish {
    State* s;
    std::tuple<boost::system::error_code, std::span<std::byte>> operator()(space_wait& wait) const
    {
        boost::system::error_code ec;
        const auto area = wait.take_buffer(ec);
        if (ec)
            s->writing.store(false, std::memory_order_release);
        return {ec, area};
    }
};

} // namespace detail

template <class Executor>
basic_writer<Executor>::basic_writer(const executor_type& ex, std::string_view name,
                                     const writer_options& options)
    : basic_writer(ex, zerobuffer::writer(name, options), options.wait)
{
}

template <class Executor>
basic_writer<Executor>::basic_writer(const executor_type& ex, zerobuffer::writer&& w,
                                     const wait_strategy& strategy)
    : executor_(ex), state_(std::make_shared<state>(std::move(w), detail::service_of(ex), strategy))
{
}

template <class Executor>
basic_writer<Executor>& basic_writer<Executor>::operator=(basic_writer&& other) noexcept
{
    if (this != &other) {
        close();
        executor_ = std::move(other.executor_);
        state_ = std::move(other.state_);
    }
    return *this;
}

template <class Executor>
basic_writer<Executor>::~basic_writer()
{
    close();
}

template <class Executor>
void basic_writer<Executor>::cancel() noexcept
{
    if (state_)
        state_->operations.cancel_all();
}

template <class Executor>
void basic_writer<Executor>::close() noexcept
{
    if (state_) {
        state_->operations.cancel_all();
        state_->writer.close();
    }
}

template <class Executor>
void basic_writer<Executor>::commit_frame()
{
    boost::system::error_code ec;
    commit_frame(ec);
    if (ec)
        throw_error(ec, "zerobuffer::asio::writer::commit_frame");
}

template <class Executor>
void basic_writer<Executor>::commit_frame(boost::system::error_code& ec)
{
    state_->writer.commit_frame(ec);
    if (!ec)
        state_->writing.store(false, std::memory_order_release);
}

template <class Executor>
void basic_writer<Executor>::abandon_frame() noexcept
{
    state_->writer.abandon_frame();
    state_->writing.store(false, std::memory_order_release);
}

namespace detail {

// Starts a write operation of `s`, or completes it with invalid_state when
// one is outstanding already. The room is tried first, on the initiating
// thread: a frame that fits now costs no wait (no space_wait, no machine),
// only the post of its completion; otherwise a wait_op waits for room. A
// spinning wait spins in a handler posted to the I/O executor, as a read's
// does (wait_op::start_posted): the initiating call never spins.
template <class State, class Try, class Finish, class Handler, class Executor, class... Fail>
void start_write(std::shared_ptr<State> s, std::size_t size, Try try_now, Finish finish,
                 Handler&& handler, const Executor& ex, Fail... fail_args)
{
    if (s->writing.exchange(true, std::memory_order_acq_rel)) {
        tracked_handler<std::decay_t<Handler>, Executor> h(std::forward<Handler>(handler), ex);
        h.complete(true, make_error_code(errc::invalid_state), fail_args...);
        return;
    }
    if (auto done = try_now(*s)) {
        post_completion(std::forward<Handler>(handler), ex, std::move(*done));
        return;
    }
    space_wait wait(s->writer, size, s->writer.write_timeout(), s->strategy);
    wait_service& service = *s->service;
    operation_registry& registry = s->operations;
    if (s->strategy.kind == wait_kind::spin_then_block) {
        start_posted_wait_op(std::move(wait), std::move(finish), std::forward<Handler>(handler), ex,
                             service, registry, std::move(s));
        return;
    }
    start_wait_op(std::move(wait), std::move(finish), std::forward<Handler>(handler), ex, service,
                  registry, std::move(s));
}

} // namespace detail

template <class Executor>
template <class CompletionToken>
auto basic_writer<Executor>::async_write_frame(std::span<const std::byte> data,
                                               CompletionToken&& token)
{
    return boost::asio::async_initiate<CompletionToken, void(boost::system::error_code)>(
        [](auto&& handler, const executor_type& ex, std::shared_ptr<state> s,
           std::span<const std::byte> bytes) {
            state* raw = s.get();
            detail::start_write(std::move(s), bytes.size(), detail::write_frame_try<state>{bytes},
                                detail::write_frame_finish<state>{raw, bytes},
                                std::forward<decltype(handler)>(handler), ex);
        },
        token, executor_, state_, data);
}

template <class Executor>
template <class CompletionToken>
auto basic_writer<Executor>::async_get_frame_buffer(std::size_t size, CompletionToken&& token)
{
    return boost::asio::async_initiate<CompletionToken,
                                       void(boost::system::error_code, std::span<std::byte>)>(
        [](auto&& handler, const executor_type& ex, std::shared_ptr<state> s, std::size_t n) {
            state* raw = s.get();
            detail::start_write(std::move(s), n, detail::get_frame_buffer_try<state>{n},
                                detail::get_frame_buffer_finish<state>{raw},
                                std::forward<decltype(handler)>(handler), ex,
                                std::span<std::byte>{});
        },
        token, executor_, state_, size);
}

namespace detail {

// The poll of async_connect_writer: tries to attach, again and again while
// there is no reader.
template <class Executor>
struct connect_writer_look {
    Executor ex;
    std::string name;
    writer_options options;
    std::chrono::steady_clock::time_point give_up;
    using result = std::tuple<boost::system::error_code, basic_writer<Executor>>;

    std::optional<result> operator()() const
    {
        writer_options now = options;
        now.connect_timeout = std::chrono::nanoseconds(0);
        try {
            zerobuffer::writer w(name, now);
            return result{boost::system::error_code{},
                          basic_writer<Executor>(ex, std::move(w), options.wait)};
        } catch (const error& e) {
            if (e.code() != make_error_code(errc::no_reader) ||
                std::chrono::steady_clock::now() >= give_up)
                return result{e.code(), closed()};
        } catch (const boost::system::system_error& e) {
            return result{e.code(), closed()};
        }
        return std::nullopt;
    }
    result aborted() const { return {operation_aborted_code(), closed()}; }
    basic_writer<Executor> closed() const { return basic_writer<Executor>(ex); }
};

} // namespace detail

template <class Executor, class CompletionToken>
auto async_connect_writer(const Executor& ex, std::string_view name, const writer_options& options,
                          CompletionToken&& token)
{
    using result_writer = basic_writer<Executor>;
    return boost::asio::async_initiate<CompletionToken,
                                       void(boost::system::error_code, result_writer)>(
        [](auto&& handler, const Executor& io, std::string n, writer_options o) {
            const auto now = std::chrono::steady_clock::now();
            const auto give_up = o.connect_timeout == std::chrono::nanoseconds(0) ||
                                         o.connect_timeout >= std::chrono::hours(24 * 365 * 100)
                                     ? std::chrono::steady_clock::time_point::max()
                                     : now + o.connect_timeout;
            // The operation's own registry: there is no object to cancel it
            // through, only its slot.
            auto registry = std::make_shared<detail::operation_registry>();
            detail::operation_registry& r = *registry;
            detail::start_poll_op(
                detail::connect_writer_look<Executor>{io, std::move(n), o, give_up},
                std::forward<decltype(handler)>(handler), io, r, std::move(registry));
        },
        token, ex, std::string(name), options);
}

} // namespace zerobuffer::asio

#endif // ZEROBUFFER_ASIO_IMPL_BASIC_WRITER_HPP
