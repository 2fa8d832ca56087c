# Unit tests of the message store (core/store/message_*): codec and keys,
# query/aggregation logic, export and backup formats (no LMDB), and the
# MessageStore over a real LMDB environment. Included from CMakeLists.txt.
conflux_add_test(NAME store_messages
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/message_codec_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/message_encoded_rows_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/message_formats_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/message_query_logic_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/message_store_admin_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/message_store_query_test.cpp
  LIBS conflux_store nlohmann_json::nlohmann_json)
