import Warehouse
