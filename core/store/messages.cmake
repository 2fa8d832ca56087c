# The message store (core/store/message_*.cpp), added to conflux_store:
# row codec and keys, query/aggregation/export logic, backup stream format,
# scans and counts, and the MessageStore itself.
target_sources(conflux_store PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/message_aggregation.cpp
  ${CMAKE_CURRENT_LIST_DIR}/message_backup_format.cpp
  ${CMAKE_CURRENT_LIST_DIR}/message_codec.cpp
  ${CMAKE_CURRENT_LIST_DIR}/message_count.cpp
  ${CMAKE_CURRENT_LIST_DIR}/message_encoded_rows.cpp
  ${CMAKE_CURRENT_LIST_DIR}/message_export.cpp
  ${CMAKE_CURRENT_LIST_DIR}/message_json_path.cpp
  ${CMAKE_CURRENT_LIST_DIR}/message_keys.cpp
  ${CMAKE_CURRENT_LIST_DIR}/message_query.cpp
  ${CMAKE_CURRENT_LIST_DIR}/message_retention.cpp
  ${CMAKE_CURRENT_LIST_DIR}/message_rows.cpp
  ${CMAKE_CURRENT_LIST_DIR}/message_scan.cpp
  ${CMAKE_CURRENT_LIST_DIR}/message_state.cpp
  ${CMAKE_CURRENT_LIST_DIR}/message_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/message_store_backup.cpp
  ${CMAKE_CURRENT_LIST_DIR}/message_store_query.cpp
  ${CMAKE_CURRENT_LIST_DIR}/message_store_remove.cpp)
target_link_libraries(conflux_store PRIVATE fmt::fmt nlohmann_json::nlohmann_json)
