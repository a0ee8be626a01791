// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include <zerobuffer/error.hpp>

#include <ostream>

namespace zerobuffer {
namespace {

// The list's condition column as values: `none` matches no condition. A
// condition used in the list but missing here fails to compile.
struct condition_column {
    static constexpr int none = 0;
    static constexpr int peer_gone = static_cast<int>(condition::peer_gone);
};

// The condition `ev` belongs to, or 0.
int condition_of(int ev) noexcept
{
    switch (static_cast<errc>(ev)) {
#define ZEROBUFFER_ERROR_CONDITION(name, value, message, condition)                                \
    case errc::name: return condition_column::condition;
        ZEROBUFFER_ERROR_LIST(ZEROBUFFER_ERROR_CONDITION)
#undef ZEROBUFFER_ERROR_CONDITION
    }
    return condition_column::none;
}

class category_impl final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "zerobuffer"; }

    std::string message(int ev) const override
    {
        switch (static_cast<errc>(ev)) {
#define ZEROBUFFER_ERROR_MESSAGE(name, value, message, condition)                                  \
    case errc::name: return message;
            ZEROBUFFER_ERROR_LIST(ZEROBUFFER_ERROR_MESSAGE)
#undef ZEROBUFFER_ERROR_MESSAGE
        }
        return "unknown zerobuffer error";
    }

    // Our codes match our conditions here, so the condition category needs no
    // knowledge of the codes; anything else is compared as Boost does by default.
    bool equivalent(int ev, const boost::system::error_condition& cond) const noexcept override
    {
        if (cond.category() == condition_category()) {
            return cond.value() != condition_column::none && condition_of(ev) == cond.value();
        }
        return error_category::equivalent(ev, cond);
    }
};

class condition_category_impl final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "zerobuffer.condition"; }

    std::string message(int ev) const override
    {
        switch (static_cast<condition>(ev)) {
        case condition::peer_gone: return "the peer process is gone";
        }
        return "unknown zerobuffer condition";
    }
};

template <class E>
[[noreturn]] void throw_as(const boost::system::error_code& ec, const std::string& what)
{
    throw E(ec, what);
}

} // namespace

std::string_view to_string(errc e) noexcept
{
    switch (e) {
#define ZEROBUFFER_ERROR_NAME(name, value, message, condition)                                     \
    case errc::name: return #name;
        ZEROBUFFER_ERROR_LIST(ZEROBUFFER_ERROR_NAME)
#undef ZEROBUFFER_ERROR_NAME
    }
    return "unknown";
}

std::ostream& operator<<(std::ostream& os, errc e)
{
    return os << to_string(e);
}

const boost::system::error_category& error_category() noexcept
{
    static const category_impl instance;
    return instance;
}

const boost::system::error_category& condition_category() noexcept
{
    static const condition_category_impl instance;
    return instance;
}

void throw_error(const boost::system::error_code& ec, const std::string& what)
{
    if (ec == operation_aborted_code()) {
        throw_as<operation_aborted>(ec, what);
    }
    if (ec.category() == error_category()) {
        switch (static_cast<errc>(ec.value())) {
#define ZEROBUFFER_ERROR_THROW(name, value, message, condition)                                    \
    case errc::name: throw_as<name>(ec, what);
            ZEROBUFFER_ERROR_LIST(ZEROBUFFER_ERROR_THROW)
#undef ZEROBUFFER_ERROR_THROW
        }
    }
    throw_as<error>(ec, what);
}

} // namespace zerobuffer
