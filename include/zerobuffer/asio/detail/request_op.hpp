// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_ASIO_DETAIL_REQUEST_OP_HPP
#define ZEROBUFFER_ASIO_DETAIL_REQUEST_OP_HPP

#include <zerobuffer/asio/detail/completion.hpp>
#include <zerobuffer/frame.hpp>

#include <boost/system/error_code.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>

namespace zerobuffer::asio::detail {

/// One outstanding `async_request` of an asynchronous duplex client, as the
/// client's state sees it: the bytes to send, where it is in its life, and a
/// way to complete it. Every member but `complete` is guarded by the client
/// state's mutex.
class request_op_base {
public:
    enum class phase {
        queued,   ///< waits for its turn to be written
        writing,  ///< its room in the request ring is being waited for
        awaiting, ///< sent as `sequence`: waits for its response
        done,     ///< completed, or its completion is on its way
    };

    explicit request_op_base(std::span<const std::byte> data) noexcept : data(data) {}
    request_op_base(const request_op_base&) = delete;
    request_op_base& operator=(const request_op_base&) = delete;
    virtual ~request_op_base() = default;

    /// Hands the result to the handler, once, outside the state's lock.
    /// `initiating`: the initiating call may be on the stack.
    virtual void complete(bool initiating, boost::system::error_code ec, frame response) = 0;

    std::span<const std::byte> data;
    phase where = phase::queued;
    std::uint64_t sequence = 0;
    bool cancel_requested = false; // while writing: commit nothing
};

template <class Handler, class IoExecutor>
class request_op final : public request_op_base {
public:
    request_op(std::span<const std::byte> data, Handler handler, const IoExecutor& io)
        : request_op_base(data), handler_(std::move(handler), io)
    {
    }

    /// The handler's cancellation slot (may be unconnected).
    auto slot() const noexcept { return handler_.slot(); }

    void complete(bool initiating, boost::system::error_code ec, frame response) override
    {
        handler_.complete(initiating, ec, std::move(response));
    }

private:
    tracked_handler<Handler, IoExecutor> handler_;
};

} // namespace zerobuffer::asio::detail

#endif // ZEROBUFFER_ASIO_DETAIL_REQUEST_OP_HPP
