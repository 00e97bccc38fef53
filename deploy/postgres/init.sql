-- Run once by the postgres image on an empty volume: one database per
-- node, all owned by the colmena role the compose file creates.
CREATE DATABASE soberaniax OWNER colmena;
CREATE DATABASE ethix OWNER colmena;
CREATE DATABASE astrateq OWNER colmena;
