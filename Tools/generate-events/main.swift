print("generate-events: not written yet")
