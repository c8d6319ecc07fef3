"""Date and number formats per locale where Django's own differ from what the support floors
read (settings.FORMAT_MODULE_PATH): each module here is looked up before Django's for its
locale, and names every format, so nothing falls back to the US defaults."""
