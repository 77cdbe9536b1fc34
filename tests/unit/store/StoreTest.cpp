#include "store/BlobGroup.h"
#include "store/CreditorRepository.h"
#include "store/DossierRepository.h"
#include "store/InboundRepository.h"
#include "store/OutboxRepository.h"
#include "tests/support/TestStores.h"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

using namespace duegate;
using namespace duegate::store;
using duegate::testing::forEachBackend;
using duegate::testing::TestStore;

namespace {

const std::string kNow = "2026-01-05T10:00:00.000000Z";

std::int64_t addCreditor(Tx& tx, const std::string& name, const std::string& intake) {
    CreditorRecord c;
    c.name = name;
    c.intakeAddress = intake;
    c.email = "books@" + name + ".example";
    return creditors::insert(tx, c, "hash-" + name, kNow);
}

std::int64_t addDossier(Tx& tx, std::int64_t creditorId, const std::string& reference) {
    DebtorRecord d;
    d.creditorId = creditorId;
    d.matchKey = "email:debtor@" + reference;
    d.name = "Debtor " + reference;
    const auto debtorId = dossiers::upsertDebtor(tx, d, kNow);
    DossierRecord dos{0, creditorId, debtorId, reference, "active", "EUR", 12345, std::nullopt, kNow, kNow};
    return dossiers::insertDossier(tx, dos);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(store)

BOOST_AUTO_TEST_CASE(migrations_apply_once_and_a_second_run_applies_nothing) {
    forEachBackend([](TestStore& s) {
        BOOST_TEST(migrate(*s.db).empty());  // makeStore already migrated
        s.db->transaction([](Tx& tx) {
            BOOST_TEST(tx.queryOne("SELECT COUNT(*) FROM schema_migrations")->integer(0) >= 1);
        });
    });
}

BOOST_AUTO_TEST_CASE(intake_addresses_are_unique_and_found_case_insensitively) {
    forEachBackend([](TestStore& s) {
        s.db->transaction([](Tx& tx) { addCreditor(tx, "acme", "Invoices@Acme.Example"); });
        s.db->transaction([](Tx& tx) {
            auto c = creditors::byIntakeAddress(tx, "INVOICES@acme.example");
            BOOST_TEST_REQUIRE(c.has_value());
            BOOST_TEST(c->name == "acme");
            BOOST_TEST(creditors::isKnownSender(tx, c->id, "Books@Acme.Example"));
            BOOST_TEST(!creditors::isKnownSender(tx, c->id, "stranger@example.org"));
        });
        BOOST_CHECK_THROW(s.db->transaction([](Tx& tx) { addCreditor(tx, "other", "invoices@acme.example"); }),
                          UniqueViolation);
    });
}

BOOST_AUTO_TEST_CASE(a_failed_transaction_leaves_nothing_behind) {
    forEachBackend([](TestStore& s) {
        BOOST_CHECK_THROW(s.db->transaction([](Tx& tx) {
            addCreditor(tx, "ghost", "ghost@x.example");
            throw std::runtime_error("boom");
        }),
                          std::runtime_error);
        s.db->transaction([](Tx& tx) { BOOST_TEST(!creditors::byIntakeAddress(tx, "ghost@x.example")); });
    });
}

BOOST_AUTO_TEST_CASE(the_same_inbound_mail_is_recorded_once_by_sha_and_by_message_id) {
    forEachBackend([](TestStore& s) {
        s.db->transaction([](Tx& tx) {
            const auto c = addCreditor(tx, "acme", "in@acme.example");
            InboundItemRecord item;
            item.creditorId = c;
            item.kind = "mail";
            item.sha256 = std::string(64, 'a');
            item.size = 10;
            item.messageId = "<m1@x>";
            auto first = inbound::insertReceived(tx, item, kNow);
            BOOST_TEST(!first.duplicate);
            auto again = inbound::insertReceived(tx, item, kNow);
            BOOST_TEST(again.duplicate);
            BOOST_TEST(again.id == first.id);
            item.sha256 = std::string(64, 'b');  // re-sent with other trace headers, same Message-ID
            auto resent = inbound::insertReceived(tx, item, kNow);
            BOOST_TEST(resent.duplicate);
            BOOST_TEST(resent.id == first.id);
            BOOST_TEST(inbound::pending(tx, 10).size() == 1u);
            BOOST_TEST(inbound::transition(tx, first.id, "received", "applied", std::nullopt, kNow));
            BOOST_TEST(!inbound::transition(tx, first.id, "received", "quarantined", std::string("x"), kNow));
        });
    });
}

BOOST_AUTO_TEST_CASE(creditor_a_cannot_read_creditor_b_dossiers_events_or_items) {
    forEachBackend([](TestStore& s) {
        s.db->transaction([](Tx& tx) {
            const auto a = addCreditor(tx, "a", "a@in.example");
            const auto b = addCreditor(tx, "b", "b@in.example");
            const auto dossierB = addDossier(tx, b, "D-B-1");
            events::append(tx, EventRecord{0, b, dossierB, kNow, "dossier_created", std::nullopt, "created", {}});
            BOOST_TEST(!dossiers::dossier(tx, a, dossierB).has_value());
            BOOST_TEST(dossiers::dossier(tx, b, dossierB).has_value());
            BOOST_TEST(dossiers::dossier(tx, std::nullopt, dossierB).has_value());  // staff
            BOOST_TEST(dossiers::list(tx, a, 100).empty());
            BOOST_TEST(events::forDossier(tx, a, dossierB).empty());
            BOOST_TEST(events::forDossier(tx, b, dossierB).size() == 1u);
        });
    });
}

BOOST_AUTO_TEST_CASE(an_invoice_number_is_stored_once_per_creditor) {
    forEachBackend([](TestStore& s) {
        s.db->transaction([](Tx& tx) {
            const auto a = addCreditor(tx, "a", "a@in.example");
            const auto d = addDossier(tx, a, "D1");
            InvoiceRecord inv;
            inv.creditorId = a;
            inv.dossierId = d;
            inv.documentType = "Invoice";
            inv.number = "INV-1";
            inv.currency = "EUR";
            inv.issueDate = "2026-01-01";
            inv.amountMinor = 12345;
            BOOST_TEST(dossiers::insertInvoice(tx, inv, kNow).has_value());
            BOOST_TEST(!dossiers::insertInvoice(tx, inv, kNow).has_value());
            BOOST_TEST(dossiers::invoices(tx, d).size() == 1u);
        });
    });
}

BOOST_AUTO_TEST_CASE(outbox_claims_due_rows_once_and_never_resends_an_interrupted_send) {
    forEachBackend([](TestStore& s) {
        s.db->transaction([](Tx& tx) {
            const auto a = addCreditor(tx, "a", "a@in.example");
            OutboundMessageRecord m;
            m.creditorId = a;
            m.dedupeKey = "ack:1";
            m.channel = "email";
            m.purpose = "ack";
            m.recipient = "x@y.example";
            m.body = "hello";
            m.nextAttemptAt = kNow;
            BOOST_TEST(outbox::enqueue(tx, m, kNow).has_value());
            BOOST_TEST(!outbox::enqueue(tx, m, kNow).has_value());  // the same decision twice: one row
            m.dedupeKey = "later";
            m.nextAttemptAt = "2026-01-06T00:00:00.000000Z";
            outbox::enqueue(tx, m, kNow);
        });
        auto claimed = s.db->transaction(
            [](Tx& tx) { return outbox::claimNext(tx, kNow, "2026-01-05T10:05:00.000000Z", "tokenA"); });
        BOOST_TEST_REQUIRE(claimed.has_value());
        BOOST_TEST(claimed->dedupeKey == "ack:1");
        BOOST_TEST(claimed->state == "sending");
        BOOST_TEST(claimed->attempts == 1);
        s.db->transaction([](Tx& tx) {
            BOOST_TEST(!outbox::claimNext(tx, kNow, "2026-01-05T10:05:00.000000Z", "tokenB").has_value());
            BOOST_TEST(outbox::expireInterrupted(tx, "2026-01-05T10:01:00.000000Z").empty());  // lease still valid
            auto expired = outbox::expireInterrupted(tx, "2026-01-05T10:06:00.000000Z");
            BOOST_TEST_REQUIRE(expired.size() == 1u);
            BOOST_TEST(expired[0].state == "unknown");  // parked for review, never resent by itself
            BOOST_TEST(expired[0].parkedAt.value_or("") == "2026-01-05T10:06:00.000000Z");
            BOOST_TEST(!outbox::claimNext(tx, "2026-01-05T10:07:00.000000Z", "2026-01-05T10:12:00.000000Z", "tokenC")
                            .has_value());
        });
    });
}

BOOST_AUTO_TEST_CASE(the_outbox_state_check_takes_unknown_and_still_refuses_anything_else) {
    // 0011 widened the CHECK by 'unknown' (on SQLite by editing the stored schema): the constraint
    // must still be there, for every connection of the pool.
    forEachBackend([](TestStore& s) {
        const auto id = s.db->transaction([](Tx& tx) {
            OutboundMessageRecord m;
            m.creditorId = addCreditor(tx, "a", "a@in.example");
            m.dedupeKey = "ack:1";
            m.channel = "email";
            m.purpose = "ack";
            m.recipient = "x@y.example";
            m.body = "hello";
            m.nextAttemptAt = kNow;
            return *outbox::enqueue(tx, m, kNow);
        });
        for (int round = 0; round < 4; ++round) {   // several pooled connections
            s.db->transaction([&](Tx& tx) {
                BOOST_TEST(tx.exec("UPDATE outbound_messages SET state = 'unknown' WHERE id = $1", {id}) == 1u);
                BOOST_TEST(tx.exec("UPDATE outbound_messages SET state = 'planned' WHERE id = $1", {id}) == 1u);
            });
            BOOST_CHECK_THROW(s.db->transaction([&](Tx& tx) {
                tx.exec("UPDATE outbound_messages SET state = 'lost' WHERE id = $1", {id});
            }),
                              StoreError);
        }
    });
}

BOOST_AUTO_TEST_CASE(blobs_are_content_addressed_and_read_back_exactly) {
    forEachBackend([](TestStore& s) {
        const std::string bytes("raw\0mail\r\n", 10);
        const auto sha = s.blobs->put(bytes);
        BOOST_TEST(sha == BlobStore::sha256Hex(bytes));
        BOOST_TEST(s.blobs->put(bytes) == sha);
        BOOST_TEST(s.blobs->get(sha).value() == bytes);
        BOOST_TEST(!s.blobs->get("../../etc/passwd").has_value());
    });
}

BOOST_AUTO_TEST_CASE(blobs_in_the_database_are_shared_by_every_process_and_read_back_exactly) {
    forEachBackend([](TestStore& s) {
        std::string bytes;
        for (int i = 0; i < 70000; ++i) bytes += static_cast<char>(i * 131 % 256);  // every byte value, NULs too
        BlobStore first(s.db), second(s.db);  // two hosts on one store
        const auto sha = first.put(bytes);
        BOOST_TEST(sha == BlobStore::sha256Hex(bytes));
        BOOST_TEST(second.put(bytes) == sha);
        BOOST_TEST(second.get(sha).value() == bytes);
        BOOST_TEST(!second.get(std::string(64, 'a')).has_value());
        BOOST_TEST(!second.get("../../etc/passwd").has_value());
        BOOST_TEST(s.db->transaction([](Tx& tx) { return tx.queryOne("SELECT COUNT(*) FROM blobs")->integer(0); }) == 1);
    });
}

BOOST_AUTO_TEST_CASE(a_group_of_blobs_is_stored_once_each_and_read_back_exactly) {
    forEachBackend([](TestStore& s) {
        BlobStore blobs(s.db);
        std::vector<std::string> bytes;
        for (int k = 0; k < 4; ++k) {
            std::string b;
            for (int i = 0; i < 3000 + 70000 * (k == 3); ++i) b += static_cast<char>((i * 131 + k) % 256);
            bytes.push_back(b);
        }
        std::vector<std::string> shas;
        for (const auto& b : bytes) shas.push_back(BlobStore::sha256Hex(b));
        blobs.put(bytes[0]);  // stored before the group
        s.db->transaction([&](Tx& tx) {
            putAllIn(blobs, tx,
                     {{shas[0], bytes[0]}, {shas[1], bytes[1]}, {shas[2], bytes[2]}, {shas[1], bytes[1]}, {shas[3], bytes[3]}});
        });
        for (std::size_t k = 0; k < bytes.size(); ++k) {
            BOOST_TEST(blobs.get(shas[k]).value() == bytes[k]);
            BOOST_TEST(blobs.size(shas[k]).value() == bytes[k].size());
            auto in = blobs.open(shas[k]);
            BOOST_TEST_REQUIRE(in != nullptr);
            const std::string streamed((std::istreambuf_iterator<char>(*in)), std::istreambuf_iterator<char>());
            BOOST_TEST(streamed == bytes[k]);
        }
        BOOST_TEST(s.db->transaction([](Tx& tx) { return tx.queryOne("SELECT COUNT(*) FROM blobs")->integer(0); }) == 4);
        // A group that is not all stored aborts before writing (a file-only store has no table).
        BlobStore files(s.dir + "/only-files");
        BOOST_CHECK_THROW(s.db->transaction([&](Tx& tx) { putAllIn(files, tx, {{shas[1], bytes[1]}}); }), StoreError);
    });
}

BOOST_AUTO_TEST_CASE(blobs_stored_as_base64_before_migration_0026_still_read) {
    forEachBackend([](TestStore& s) {
        const std::string bytes("old\0mail\r\n\xff", 11);
        const std::string sha = BlobStore::sha256Hex(bytes);
        const std::string chunked("chunk\0ed", 8);
        const std::string chunkedSha = BlobStore::sha256Hex(chunked);
        s.db->transaction([&](Tx& tx) {  // the rows as migrations 0008 and 0010 wrote them
            tx.exec("INSERT INTO blobs (sha256, size, data, created_at) VALUES ($1, 11, 'b2xkAG1haWwNCv8=', $2)", {sha, kNow});
            tx.exec("INSERT INTO blobs (sha256, size, data, created_at, chunks) VALUES ($1, 8, '', $2, 2)",
                    {chunkedSha, kNow});
            tx.exec("INSERT INTO blob_chunks (sha256, seq, data) VALUES ($1, 0, 'Y2h1')", {chunkedSha});
            tx.exec("INSERT INTO blob_chunks (sha256, seq, data) VALUES ($1, 1, 'bmsAZWQ=')", {chunkedSha});
        });
        BlobStore blobs(s.db);
        BOOST_TEST(blobs.get(sha).value() == bytes);
        BOOST_TEST(blobs.get(chunkedSha).value() == chunked);
        auto in = blobs.open(sha);
        BOOST_TEST_REQUIRE(in != nullptr);
        BOOST_TEST(std::string((std::istreambuf_iterator<char>(*in)), std::istreambuf_iterator<char>()) == bytes);
    });
}

BOOST_AUTO_TEST_CASE(many_inbound_items_at_once_are_each_recorded_once_in_order) {
    forEachBackend([](TestStore& s) {
        s.db->transaction([](Tx& tx) {
            const auto a = addCreditor(tx, "acme", "in@acme.example");
            const auto b = addCreditor(tx, "beta", "in@beta.example");
            auto item = [](std::int64_t creditor, char sha, std::optional<std::string> messageId) {
                InboundItemRecord i;
                i.creditorId = creditor;
                i.kind = "mail";
                i.sha256 = std::string(64, sha);
                i.size = 10;
                i.messageId = std::move(messageId);
                i.mailFrom = "from@x.example";
                return i;
            };
            const auto stored = inbound::insertReceived(tx, item(a, 'a', "<m1@x>"), kNow);
            const auto r = inbound::insertReceivedMany(tx,
                                                       {item(a, 'b', "<m2@x>"),         // new
                                                        item(a, 'c', "<m1@x>"),         // stored Message-ID
                                                        item(a, 'a', "<m9@x>"),         // stored bytes
                                                        item(b, 'b', "<m2@x>"),         // new for another creditor
                                                        item(a, 'b', "<m2@x>"),         // twice in the group
                                                        item(a, 'd', std::nullopt),     // no Message-ID
                                                        item(a, 'd', std::nullopt)},    // twice, no Message-ID
                                                       kNow);
            BOOST_TEST_REQUIRE(r.size() == 7u);
            BOOST_TEST(!r[0].duplicate);
            BOOST_TEST((r[1].duplicate && r[1].id == stored.id));
            BOOST_TEST((r[2].duplicate && r[2].id == stored.id));
            BOOST_TEST((!r[3].duplicate && r[3].id != r[0].id));
            BOOST_TEST((r[4].duplicate && r[4].id == r[0].id));
            BOOST_TEST(!r[5].duplicate);
            BOOST_TEST((r[6].duplicate && r[6].id == r[5].id));
            BOOST_TEST(inbound::pending(tx, 100).size() == 4u);
            const auto kept = inbound::byId(tx, a, r[0].id);
            BOOST_TEST_REQUIRE(kept.has_value());
            BOOST_TEST(kept->sha256 == std::string(64, 'b'));
            BOOST_TEST(kept->mailFrom.value_or("") == "from@x.example");
        });
    });
}

BOOST_AUTO_TEST_CASE(small_blobs_commit_with_their_rows_large_ones_are_files_and_both_homes_are_read) {
    forEachBackend([](TestStore& s) {
        BlobStore mixed(s.dir + "/blobs", s.db, 1000);  // the SQLite default, with a small threshold
        const std::string small(999, 's'), large(1000, 'L');
        const auto smallSha = BlobStore::sha256Hex(small), largeSha = BlobStore::sha256Hex(large);
        BOOST_TEST(mixed.inTransaction(small.size()));
        BOOST_TEST(!mixed.inTransaction(large.size()));
        BOOST_TEST(!mixed.inDatabase());
        BOOST_CHECK_THROW(s.db->transaction([&](Tx& tx) { mixed.putIn(tx, largeSha, large); }), StoreError);

        // A transaction that rolls back leaves no blob behind; one that commits, the blob.
        BOOST_CHECK_THROW(s.db->transaction([&](Tx& tx) {
            mixed.putIn(tx, smallSha, small);
            throw std::runtime_error("the group failed");
        }),
                          std::runtime_error);
        BOOST_TEST(!mixed.get(smallSha).has_value());
        s.db->transaction([&](Tx& tx) {
            mixed.putIn(tx, smallSha, small);
            mixed.putIn(tx, smallSha, small);  // the same mail twice in one group
        });
        mixed.put(large, largeSha);
        BOOST_TEST(!std::filesystem::exists(s.dir + "/blobs/" + smallSha.substr(0, 2) + "/" + smallSha.substr(2, 2) + "/" + smallSha));
        BOOST_TEST(std::filesystem::exists(s.dir + "/blobs/" + largeSha.substr(0, 2) + "/" + largeSha.substr(2, 2) + "/" + largeSha));
        for (const auto* bytes : {&small, &large}) {
            const auto sha = BlobStore::sha256Hex(*bytes);
            BOOST_TEST(mixed.get(sha).value() == *bytes);
            BOOST_TEST(mixed.size(sha).value() == bytes->size());
            auto in = mixed.open(sha);
            BOOST_TEST_REQUIRE(in != nullptr);
            BOOST_TEST((std::string((std::istreambuf_iterator<char>(*in)), std::istreambuf_iterator<char>()) == *bytes));
        }
        BOOST_TEST(!mixed.get(std::string(64, 'a')).has_value());
        BOOST_TEST(!mixed.size(std::string(64, 'a')).has_value());
        BOOST_TEST((mixed.open(std::string(64, 'a')) == nullptr));
        BOOST_TEST(!mixed.get("../../etc/passwd").has_value());

        // Data written before (a file by the files-only home, a row by the database home) is read
        // by every home that has the database, whatever it would write now.
        BlobStore filesOnly(s.dir + "/blobs"), filesReading(s.dir + "/blobs", s.db, 0), inDb(s.db);
        const auto old = filesOnly.put(std::string("an old mail"));
        const auto fromDb = inDb.put(std::string("a mail of the database home"));
        BOOST_TEST(!filesReading.inTransaction(1));
        BOOST_TEST(mixed.get(old).value() == "an old mail");
        BOOST_TEST(mixed.get(fromDb).value() == "a mail of the database home");
        BOOST_TEST(filesReading.get(fromDb).value() == "a mail of the database home");
        BOOST_TEST(filesReading.get(smallSha).value() == small);
        BOOST_TEST(!filesOnly.get(smallSha).has_value());  // no database: files only
    });
}

BOOST_AUTO_TEST_CASE(a_file_is_streamed_into_either_home_and_read_back_as_a_seekable_stream) {
    forEachBackend([](TestStore& s) {
        // 2.5 MiB: three chunks in the database home, the last one short; every byte value.
        std::string bytes;
        for (std::size_t i = 0; i < (5u << 19); ++i) bytes += static_cast<char>((i * 131 + i / 4096) % 256);
        const std::string path = s.dir + "/statement.bin";
        {
            std::ofstream out(path, std::ios::binary);
            out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        }
        BlobStore inDb(s.db);
        for (BlobStore* home : {s.blobs.get(), &inDb}) {
            BOOST_TEST_CONTEXT((home->inDatabase() ? "database" : "files")) {
                const auto sha = home->putFile(path);
                BOOST_TEST(sha == BlobStore::sha256Hex(bytes));
                BOOST_TEST(home->putFile(path) == sha);  // twice: a no-op
                BOOST_TEST(home->size(sha).value() == bytes.size());
                BOOST_TEST(home->get(sha).value() == bytes);
                auto in = home->open(sha);
                BOOST_TEST_REQUIRE(in != nullptr);
                std::string all((std::istreambuf_iterator<char>(*in)), std::istreambuf_iterator<char>());
                BOOST_TEST((all == bytes));
                in->clear();
                in->seekg(static_cast<std::streamoff>((1u << 20) + 7));  // inside the second chunk
                char c = 0;
                in->get(c);
                BOOST_TEST(c == bytes[(1u << 20) + 7]);
                in->seekg(0);
                std::string head(100, '\0');
                in->read(head.data(), 100);
                BOOST_TEST((head == bytes.substr(0, 100)));
                BOOST_TEST(home->open(std::string(64, 'a')) == nullptr);
            }
        }
        // A small blob put whole is read through the same stream.
        const auto small = inDb.put("tiny");
        auto in = inDb.open(small);
        std::string got((std::istreambuf_iterator<char>(*in)), std::istreambuf_iterator<char>());
        BOOST_TEST(got == "tiny");
        BOOST_TEST(s.db->transaction([](Tx& tx) { return tx.queryOne("SELECT COUNT(*) FROM blob_chunks")->integer(0); }) == 3);
    });
}

BOOST_AUTO_TEST_CASE(a_store_url_is_logged_without_its_password) {
    BOOST_TEST(redactUrl("postgresql://duegate:s3cr%40t@db:5432/duegate") == "postgresql://duegate:***@db:5432/duegate");
    BOOST_TEST(redactUrl("postgresql://db:5432/duegate") == "postgresql://db:5432/duegate");
    BOOST_TEST(redactUrl("sqlite:var/duegate.db") == "sqlite:var/duegate.db");
}

BOOST_AUTO_TEST_CASE(postgres_urls_become_libpq_connect_strings) {
    BOOST_TEST(postgresConnectString("postgresql://u%40x:p'w@db.example:5433/duegate?sslmode=require") ==
               "host='db.example' port=5433 user='u@x' password='p\\'w' dbname='duegate' sslmode='require' "
               "connect_timeout=5 keepalives=1 keepalives_count=3 keepalives_idle=30 keepalives_interval=10");
    BOOST_CHECK_THROW(postgresConnectString("postgresql://h/"), StoreError);
}

BOOST_AUTO_TEST_SUITE_END()
