// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DUPLEX_SRC_POSTED_REQUEST_HPP
#define ZEROBUFFER_DUPLEX_SRC_POSTED_REQUEST_HPP

// A request on its way to a handler on an executor. Whatever becomes of it,
// its admitted place in the order is answered exactly once: by the handler
// when the executor runs it, or with an error response when the executor
// destroys it unrun (an io_context destroyed, a pool stopped) or a post
// fails, so the session's count of open requests always comes back to zero.

#include "response_slot.hpp"
#include "session.hpp"

#include <zerobuffer/frame.hpp>

#include <cstdint>
#include <memory>
#include <utility>

namespace zerobuffer::duplex::detail {

class posted_request {
public:
    posted_request(std::shared_ptr<session> s, frame req, std::uint64_t index,
                   const handler_function& handler) noexcept
        : session_(std::move(s)), request_(std::move(req)), index_(index), handler_(&handler)
    {
    }
    posted_request(posted_request&&) noexcept = default;
    posted_request& operator=(posted_request&&) = delete;
    posted_request(const posted_request&) = delete;
    ~posted_request()
    {
        if (session_) { // never run (a moved-from object has no session)
            finish([](response_slot& slot, const request&) {
                slot.fail("the server's executor dropped the request unrun");
            });
        }
    }

    void operator()()
    {
        finish([this](response_slot& slot, const request& req) { slot.run(*handler_, req); });
    }

private:
    template <class Answer>
    void finish(Answer answer) noexcept
    {
        const std::shared_ptr<session> s = std::move(session_);
        {
            response_slot slot(*s, request_.sequence(), index_);
            answer(slot, request(request_.bytes(), request_.sequence()));
        }
        request_.release(); // its room goes back to the client before others commit
        s->drain();
        s->task_done();
    }

    std::shared_ptr<session> session_;
    frame request_;
    std::uint64_t index_;
    const handler_function* handler_;
};

} // namespace zerobuffer::duplex::detail

#endif // ZEROBUFFER_DUPLEX_SRC_POSTED_REQUEST_HPP
