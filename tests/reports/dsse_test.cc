#include <catch2/catch.hpp>

#include "common/error.h"
#include "reports/dsse.h"

using namespace hallmark;
using namespace hallmark::reports;
using nlohmann::json;

TEST_CASE("PAE matches the DSSE specification's test vector", "[dsse]") {
  CHECK(pae("http://example.com/HelloWorld", "hello world") ==
        "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  CHECK(pae("", "") == "DSSEv1 0  0 ");
}

TEST_CASE("PAE lengths count bytes, not characters", "[dsse]") {
  // "é" is two bytes in UTF-8.
  CHECK(pae("t", "\xc3\xa9") == "DSSEv1 1 t 2 \xc3\xa9");
}

TEST_CASE("envelopes accept standard and URL-safe base64, padded or not", "[dsse]") {
  // Bytes FB FF FE encode to "+//+" (standard) and "-__-" (URL-safe).
  const std::string bytes = "\xfb\xff\xfe";
  for (const char* text : {"+//+", "-__-"}) {
    json env = {{"payloadType", "t"}, {"payload", text}, {"signatures", {{{"sig", "aGk="}}}}};
    DsseEnvelope e = parse_envelope(env, "model.sig");
    CHECK(e.payload == bytes);
    CHECK(e.signatures.at(0).sig == "hi");
  }
  json unpadded = {{"payloadType", "t"}, {"payload", "aGk"}, {"signatures", {{{"sig", "aGk"}}}}};
  CHECK(parse_envelope(unpadded, "model.sig").payload == "hi");
}

TEST_CASE("malformed envelopes are input errors naming the field", "[dsse]") {
  json good = {{"payloadType", "t"}, {"payload", "aGk="}, {"signatures", {{{"sig", "aGk="}}}}};
  auto message = [](const json& env) {
    try {
      parse_envelope(env, "model.sig");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  json bad = good;
  bad["payload"] = "aG*k";
  CHECK_THAT(message(bad), Catch::Contains("payload is not valid base64"));
  bad = good;
  bad["payload"] = "aGk=a";
  CHECK_THAT(message(bad), Catch::Contains("not valid base64"));
  bad = good;
  bad["signatures"][0]["sig"] = "a";
  CHECK_THAT(message(bad), Catch::Contains("signatures[0].sig is not valid base64"));
  bad = good;
  bad["signatures"] = json::array();
  CHECK_THAT(message(bad), Catch::Contains("no signatures"));
  bad = good;
  bad.erase("payloadType");
  CHECK_THAT(message(bad), Catch::Contains("payloadType"));
}

TEST_CASE("verify_envelope checks signatures over the PAE and reports the first valid one",
          "[dsse]") {
  DsseEnvelope e{"t", "body", {{"", "wrong"}, {"k2", "right"}}};
  std::string seen;
  auto check = [&](std::string_view message, std::string_view sig) {
    seen = std::string(message);
    return sig == "right";
  };
  auto index = verify_envelope(e, check);
  REQUIRE(index.has_value());
  CHECK(*index == 1);
  CHECK(seen == "DSSEv1 1 t 4 body");
  e.signatures.pop_back();
  CHECK_FALSE(verify_envelope(e, check).has_value());
}
