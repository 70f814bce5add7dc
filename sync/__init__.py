"""Station <-> head-office sync: the wire protocol, the entity declarations, the client and the
reference head-office server. Nothing here imports Qt.
"""
