# render.cmake: -DSCDOC=scdoc -DIN=PAGE.N.scd -DFRAGMENT=run-options.scd -DOUT=PAGE.N
# Splices FRAGMENT in place of a @RUN_OPTIONS@ line of IN, then renders it with scdoc into OUT.
file(READ ${IN} page)
file(READ ${FRAGMENT} fragment)
string(REPLACE "@RUN_OPTIONS@\n" "${fragment}" page "${page}")
file(WRITE ${OUT}.scd "${page}")
execute_process(COMMAND ${SCDOC} INPUT_FILE ${OUT}.scd OUTPUT_FILE ${OUT}
  RESULT_VARIABLE status ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  file(REMOVE ${OUT})
  message(FATAL_ERROR "scdoc ${IN}: ${err}")
endif()
