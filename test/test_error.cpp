// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// zerobuffer/error.hpp: every code of ZEROBUFFER_ERROR_LIST has its name,
// message and exception class; values and names never change (tools print the
// names in JSON); throw_error throws the exact class; condition::peer_gone
// matches the peer-gone codes only.

#define BOOST_TEST_MODULE error
#include <boost/test/unit_test.hpp>

#include <zerobuffer/error.hpp>

#include <cerrno>
#include <set>
#include <string>
#include <string_view>
#include <typeinfo>
#include <utility>
#include <vector>

using zerobuffer::condition;
using zerobuffer::errc;
using zerobuffer::make_error_code;

namespace {

struct entry {
    errc code;
    std::string_view name;
    std::string_view message;
};

const std::vector<entry>& list()
{
#define ZEROBUFFER_TEST_ENTRY(name, value, message, condition) {errc::name, #name, message},
    static const std::vector<entry> entries{ZEROBUFFER_ERROR_LIST(ZEROBUFFER_TEST_ENTRY)};
#undef ZEROBUFFER_TEST_ENTRY
    return entries;
}

// Passes when throw_error(ec) throws exactly E (not a subclass) carrying ec.
template <class E>
void expect_thrown(const boost::system::error_code& ec)
{
    BOOST_TEST_CONTEXT("code " << ec.category().name() << ":" << ec.value())
    {
        try {
            zerobuffer::throw_error(ec, "context");
        } catch (const E& e) {
            BOOST_TEST((typeid(e) == typeid(E)), "thrown " << typeid(e).name());
            BOOST_TEST((e.code() == ec));
            BOOST_TEST(std::string(e.what()).starts_with("context"));
            return;
        } catch (const std::exception& e) {
            BOOST_ERROR("wrong exception " << typeid(e).name());
            return;
        }
    }
}

} // namespace

// Written out rather than taken from the list: an edit of the list that moves a
// value or renames a code must fail here.
BOOST_AUTO_TEST_CASE(values_and_names_are_unchanged)
{
    const std::vector<std::pair<int, std::string_view>> expected{
        {1, "writer_dead"},
        {2, "writer_disconnected"},
        {3, "reader_dead"},
        {4, "buffer_full"},
        {5, "frame_too_large"},
        {6, "invalid_frame_size"},
        {7, "sequence_error"},
        {8, "metadata_already_written"},
        {9, "metadata_too_large"},
        {10, "corrupted_buffer"},
        {11, "incompatible_version"},
        {12, "no_reader"},
        {13, "writer_already_connected"},
        {14, "reader_already_exists"},
        {15, "invalid_name"},
        {16, "invalid_config"},
        {17, "invalid_state"},
        {18, "timed_out"},
        {19, "server_dead"},
        {20, "client_gone"},
        {21, "handler_failed"},
        {22, "server_stopped"},
    };
    BOOST_TEST(list().size() == expected.size());
    for (const auto& [value, name] : expected) {
        BOOST_TEST(zerobuffer::to_string(static_cast<errc>(value)) == name);
    }
    BOOST_TEST(static_cast<int>(errc::writer_dead) == 1);
    BOOST_TEST(static_cast<int>(errc::timed_out) == 18);
    BOOST_TEST(static_cast<int>(errc::server_dead) == 19);
    BOOST_TEST(static_cast<int>(errc::client_gone) == 20);
}

BOOST_AUTO_TEST_CASE(every_code_has_a_distinct_name_and_message)
{
    std::set<std::string_view> names;
    std::set<std::string> messages;
    for (const entry& e : list()) {
        BOOST_TEST_CONTEXT(e.name)
        {
            BOOST_TEST(zerobuffer::to_string(e.code) == e.name);
            BOOST_TEST(make_error_code(e.code).message() == e.message);
            BOOST_TEST(!e.message.empty());
            BOOST_TEST(names.insert(zerobuffer::to_string(e.code)).second);
            BOOST_TEST(messages.insert(make_error_code(e.code).message()).second);
        }
    }
    BOOST_TEST(!names.contains("unknown"));
    BOOST_TEST(!messages.contains("unknown zerobuffer error"));
}

BOOST_AUTO_TEST_CASE(values_outside_the_list_are_unknown)
{
    const auto outside = static_cast<errc>(0);
    BOOST_TEST(zerobuffer::to_string(outside) == "unknown");
    BOOST_TEST(make_error_code(static_cast<errc>(999)).message() == "unknown zerobuffer error");
    expect_thrown<zerobuffer::error>(make_error_code(static_cast<errc>(999)));
}

BOOST_AUTO_TEST_CASE(messages_are_unchanged)
{
    BOOST_TEST(make_error_code(errc::writer_dead).message() == "writer process died");
    BOOST_TEST(make_error_code(errc::buffer_full).message() ==
               "buffer full: no space freed before the write timeout");
    BOOST_TEST(make_error_code(errc::timed_out).message() == "timed out");
    BOOST_TEST(make_error_code(errc::server_dead).message() == "server process died");
    BOOST_TEST(make_error_code(errc::client_gone).message() == "the client closed or died");
}

BOOST_AUTO_TEST_CASE(throw_error_throws_the_class_of_each_code)
{
#define ZEROBUFFER_TEST_THROW(name, value, message, condition)                                     \
    expect_thrown<zerobuffer::name>(make_error_code(errc::name));
    ZEROBUFFER_ERROR_LIST(ZEROBUFFER_TEST_THROW)
#undef ZEROBUFFER_TEST_THROW
}

BOOST_AUTO_TEST_CASE(operation_aborted_code_throws_operation_aborted)
{
    expect_thrown<zerobuffer::operation_aborted>(zerobuffer::operation_aborted_code());
    // Other system codes keep the base class.
    expect_thrown<zerobuffer::error>({EACCES, boost::system::system_category()});
    expect_thrown<zerobuffer::error>({ETIMEDOUT, boost::system::system_category()});
}

BOOST_AUTO_TEST_CASE(peer_gone_groups_the_peer_codes)
{
    const std::set<errc> peer_gone{errc::writer_dead, errc::writer_disconnected,
                                   errc::reader_dead, errc::server_dead,
                                   errc::client_gone, errc::server_stopped};
    for (const entry& e : list()) {
        BOOST_TEST_CONTEXT(e.name)
        {
            const boost::system::error_code ec = e.code;
            BOOST_TEST((ec == condition::peer_gone) == peer_gone.contains(e.code));
            BOOST_TEST((condition::peer_gone == ec) == peer_gone.contains(e.code));
        }
    }
    // Same values in other categories, and the system's own "peer gone" errnos.
    for (const int value : {1, 2, 3, 19, 20, EPIPE, ECONNRESET, ECANCELED}) {
        BOOST_TEST_CONTEXT(value)
        {
            const boost::system::error_code sys{value, boost::system::system_category()};
            const boost::system::error_code gen{value, boost::system::generic_category()};
            BOOST_TEST((sys != condition::peer_gone));
            BOOST_TEST((gen != condition::peer_gone));
        }
    }
    BOOST_TEST((make_error_code(static_cast<errc>(999)) != condition::peer_gone));
    // The errc codes still compare to generic conditions as before (never equal).
    const boost::system::error_code dead = errc::writer_dead;
    BOOST_TEST((dead != boost::system::errc::operation_not_permitted));
}

BOOST_AUTO_TEST_CASE(category_names)
{
    BOOST_TEST(std::string_view(zerobuffer::error_category().name()) == "zerobuffer");
    BOOST_TEST(std::string_view(zerobuffer::condition_category().name()) == "zerobuffer.condition");
    const boost::system::error_condition cond = condition::peer_gone;
    BOOST_TEST((cond.category() == zerobuffer::condition_category()));
    BOOST_TEST(cond.value() == 1);
    BOOST_TEST(cond.message() == "the peer process is gone");
    BOOST_TEST((make_error_code(errc::buffer_full).category() == zerobuffer::error_category()));
}
