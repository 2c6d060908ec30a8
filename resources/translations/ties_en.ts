<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../src/ties/ui/main_window.py" line="+324"/>
        <source>&lt;p&gt;Qt {qt} · PySide6 {pyside} · SQLite {sqlite}&lt;/p&gt;&lt;p&gt;Journal: {path}&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>About Ties</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;h3&gt;Ties {version}&lt;/h3&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;p&gt;A private, offline journal of your relationships.&lt;/p&gt;&lt;p&gt;Your journal is one file on this computer; nothing is sent anywhere.&lt;/p&gt;&lt;p&gt;Licensed under the GPL, version 3 or later.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReadOnlyBanner</name>
    <message>
        <location filename="../../src/ties/ui/banner.py" line="+27"/>
        <source>This journal is read-only: its file or folder cannot be written, or another Ties window has it open. You can look around; changes are switched off.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
