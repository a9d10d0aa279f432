STREETLIGHT = "streetlight"
LAMP_REPLACED = "lamp_replaced"
